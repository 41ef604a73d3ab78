# Two buckets: the private media bucket (originals, processed videos, posters; browsers read it
# only through presigned URLs) and the access-log bucket (ALB and S3 access logs).

data "aws_elb_service_account" "this" {}

# --- media ----------------------------------------------------------------------------------------

resource "aws_s3_bucket" "media" {
  #checkov:skip=CKV_AWS_144:Single-region service; versioning plus RDS backups cover accidental deletion, a cross-region copy of every video is a disaster-recovery decision outside this stack.
  #checkov:skip=CKV2_AWS_62:Nothing consumes S3 events: the API enqueues each job after its commit (docs/jobs.md).
  bucket_prefix = "${var.name}-media-"
}

resource "aws_s3_bucket_public_access_block" "media" {
  bucket                  = aws_s3_bucket.media.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
    # One data key per bucket instead of per object: far fewer KMS calls on every upload and encode.
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "media" {
  bucket = aws_s3_bucket.media.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # Deleting a video removes its objects; versioning keeps them recoverable for 30 days only.
  rule {
    id     = "expire-deleted-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    expiration {
      expired_object_delete_marker = true
    }
  }

  # Intelligent-Tiering moves what nobody reads (old originals, past seasons) to cheaper tiers and
  # back on the next read, without retrieval fees: nothing to predict per object kind.
  rule {
    id     = "tier-by-access"
    status = "Enabled"
    filter {
      prefix = "videos/"
    }
    transition {
      days          = 30
      storage_class = "INTELLIGENT_TIERING"
    }
  }
}

# Browser playback (<video> with Range requests) and posters from the web UI's origins.
resource "aws_s3_bucket_cors_configuration" "media" {
  bucket = aws_s3_bucket.media.id
  cors_rule {
    allowed_methods = ["GET", "HEAD"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["Range", "If-None-Match", "If-Modified-Since"]
    expose_headers  = ["Accept-Ranges", "Content-Length", "Content-Range", "ETag"]
    max_age_seconds = 3600
  }
  # Direct uploads (docs/videos.md): the browser PUTs each part to its presigned URL, which signs
  # the part's exact Content-Length; the ETag is read back to resume. Incomplete uploads are
  # aborted by the "abort-incomplete-uploads" lifecycle rule above.
  cors_rule {
    allowed_methods = ["PUT"]
    allowed_origins = var.cors_allowed_origins
    allowed_headers = ["Content-Type"]
    expose_headers  = ["ETag"]
    max_age_seconds = 3600
  }
}

locals {
  # The only prefix the logging service may write to in the log bucket.
  media_log_prefix = "s3/media/"
}

resource "aws_s3_bucket_logging" "media" {
  bucket        = aws_s3_bucket.media.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = local.media_log_prefix
  # S3 refuses the logging configuration until the target's policy admits the logging service.
  depends_on = [aws_s3_bucket_policy.logs]
}

# Both buckets refuse plain HTTP, the bucket and its objects alike: one statement, one document per
# bucket. The media bucket's policy is that document; the log bucket's adds its log writers (logs.tf).
data "aws_iam_policy_document" "tls_only" {
  for_each = {
    media = aws_s3_bucket.media.arn
    logs  = aws_s3_bucket.logs.arn
  }

  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [each.value, "${each.value}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "media" {
  bucket     = aws_s3_bucket.media.id
  policy     = data.aws_iam_policy_document.tls_only["media"].json
  depends_on = [aws_s3_bucket_public_access_block.media]
}
