# The application's own secrets. Terraform creates the containers only; deploy/aws/put-secrets
# writes the values (random ANB_SECRET_KEY, an Ed25519 key pair), so they never enter the state.

variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the secrets."
  type        = string
}

locals {
  secrets = {
    secret_key  = "ANB_SECRET_KEY: HMAC key of signed media URLs (at least 32 characters)"
    signing_key = "ANB_AUTH__SIGNING_KEY: Ed25519 private key (PEM) of the auth service"
    public_key  = "ANB_AUTH__PUBLIC_KEY: the matching public key (PEM) that core verifies tokens with"
    smtp_url    = "ANB_SMTP_URL: smtp://<SES SMTP user>:<SES SMTP password>@email-smtp.<region>.amazonaws.com:587 (auth service only)"
  }
}

resource "aws_secretsmanager_secret" "this" {
  #checkov:skip=CKV2_AWS_57:Rotation is an operator procedure (docs/deployment.md): the key pair must reach auth and core together, which a rotation Lambda cannot coordinate.
  for_each                = local.secrets
  name                    = "${var.name}/${replace(each.key, "_", "-")}"
  description             = each.value
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

output "secret_key_arn" {
  description = "ANB_SECRET_KEY secret."
  value       = aws_secretsmanager_secret.this["secret_key"].arn
}

output "signing_key_arn" {
  description = "ANB_AUTH__SIGNING_KEY secret (auth service only)."
  value       = aws_secretsmanager_secret.this["signing_key"].arn
}

output "public_key_arn" {
  description = "ANB_AUTH__PUBLIC_KEY secret (core and worker)."
  value       = aws_secretsmanager_secret.this["public_key"].arn
}

output "smtp_url_arn" {
  description = "ANB_SMTP_URL secret: Amazon SES's SMTP endpoint with its SMTP credentials (auth service only)."
  value       = aws_secretsmanager_secret.this["smtp_url"].arn
}
