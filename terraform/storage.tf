# Uploaded import files wait here until their import has finished (HERALD_IMPORTS_STORAGE=s3), so an import
# uploaded to any api task is run by any worker task, and PostgreSQL does not hold the files.
resource "aws_s3_bucket" "uploads" {
  bucket_prefix = "${local.name}-uploads-"
  force_destroy = false
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket                  = aws_s3_bucket.uploads.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  # an upload cut off by a crash leaves parts nobody completes: S3 removes them
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # a finished import deletes its file; what a failed import left is kept this long for a look
  rule {
    id     = "expire-leftover-uploads"
    status = "Enabled"
    filter {
      prefix = "herald/"
    }
    expiration {
      days = var.upload_retention_days
    }
  }
}
