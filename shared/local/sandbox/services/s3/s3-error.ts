/**
 * An S3 error answer: a code and status like any sandbox error, plus the extra elements S3 puts
 * in its `<Error>` document (`BucketName`, `Key`, `UploadId`), which clients print and match on.
 */
import { SandboxError } from "../../errors.ts";

export class S3Error extends SandboxError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly details: Record<string, string> = {},
  ) {
    super(code, message, status);
    this.name = "S3Error";
  }
}

export const noSuchBucket = (bucket: string) =>
  new S3Error("NoSuchBucket", "The specified bucket does not exist", 404, { BucketName: bucket });
