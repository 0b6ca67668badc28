/** S3 writes used to seed the local runtime; S3 reads for the waste detectors come later. */
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

export async function createBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    const name = (err as Error).name;
    if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw err;
  }
}

export async function putObject(
  s3: S3Client,
  input: { bucket: string; key: string; body: Uint8Array; storageClass?: string },
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: input.bucket,
      Key: input.key,
      Body: input.body,
      ...(input.storageClass ? { StorageClass: input.storageClass as "STANDARD" } : {}),
    }),
  );
}
