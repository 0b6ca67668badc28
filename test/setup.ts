import "aws-sdk-client-mock-vitest/extend";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
// The Lambda handlers log JSON lines through Powertools; tests assert on effects, not logs.
process.env.POWERTOOLS_LOG_LEVEL ??= "SILENT";
