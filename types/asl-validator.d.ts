// asl-validator ships no type declarations.
declare module "asl-validator" {
  interface ValidationResult {
    isValid: boolean;
    errors: Array<{ message?: string; [key: string]: unknown }>;
  }
  export default function aslValidator(
    definition: unknown,
    options?: Record<string, unknown>,
  ): ValidationResult;
}
