terraform {
  required_version = ">= 1.6, < 2.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }

  # Remote state: an S3 bucket with versioning and a DynamoDB table for locking, one state key per
  # environment. Give the values at init (README.md in this folder):
  #   terraform init -backend-config=environments/staging.s3.tfbackend
  backend "s3" {}
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project     = "herald"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
