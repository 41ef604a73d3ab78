terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.70, < 6.0"
    }
  }

  # State holds the database and Redis passwords: keep it in an encrypted, versioned S3 bucket.
  # terraform init -backend-config="bucket=…" -backend-config="key=anb/prod.tfstate" -backend-config="region=…"
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Project = "anb-rising-stars", Environment = var.name }, var.tags)
  }
}
