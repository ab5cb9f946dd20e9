variable "environment" {
  description = "Name of the environment (staging, production): prefixes every resource."
  type        = string
}

variable "aws_region" {
  description = "AWS region to deploy to."
  type        = string
  default     = "eu-west-1"
}

variable "herald_public_url" {
  description = "Where recipients reach Herald (HERALD_PUBLIC_URL): the base of unsubscribe links, https and without a trailing slash."
  type        = string

  validation {
    condition     = can(regex("^https?://[^/]+(/.*[^/])?$", var.herald_public_url))
    error_message = "herald_public_url is an absolute http(s) URL without a trailing slash."
  }
}

variable "domain_name" {
  description = "Host name the ALB answers on (its certificate is looked up or given in certificate_arn)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for domain_name, in aws_region."
  type        = string
}

variable "herald_image" {
  description = "Herald's container image with its tag or digest (image.yml pushes it on a tag)."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.40.0.0/16"
}

variable "availability_zone_count" {
  description = "Availability zones used (subnets of each kind in each)."
  type        = number
  default     = 2
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all zones (cheaper, less available)."
  type        = bool
  default     = true
}

# --- ECS --------------------------------------------------------------------------------------------

variable "api_cpu" {
  description = "CPU units of an api task (1024 = 1 vCPU)."
  type        = number
  default     = 1024
}

variable "api_memory" {
  description = "Memory of an api task in MiB."
  type        = number
  default     = 2048
}

variable "api_min_count" {
  description = "Fewest api tasks."
  type        = number
  default     = 2
}

variable "api_max_count" {
  description = "Most api tasks."
  type        = number
  default     = 10
}

variable "api_cpu_target" {
  description = "Average CPU utilisation (%) the api service scales to."
  type        = number
  default     = 60
}

variable "api_requests_per_target" {
  description = "ALB requests per api task per minute the api service scales to."
  type        = number
  default     = 6000
}

variable "worker_cpu" {
  description = "CPU units of a worker task."
  type        = number
  default     = 1024
}

variable "worker_memory" {
  description = "Memory of a worker task in MiB."
  type        = number
  default     = 2048
}

variable "worker_min_count" {
  description = "Fewest worker tasks."
  type        = number
  default     = 1
}

variable "worker_max_count" {
  description = "Most worker tasks."
  type        = number
  default     = 8
}

variable "worker_pending_deliveries_per_task" {
  description = "Pending deliveries per worker task the worker service scales to (metric herald.deliveries.pending, published by the workers)."
  type        = number
  default     = 20000
}

variable "cloudwatch_agent_image" {
  description = "The CloudWatch agent beside each worker: it scrapes the worker's /actuator/prometheus (management port 8081) and publishes herald_deliveries_pending as Herald/DeliveriesPending. Pin a version in production."
  type        = string
  default     = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:latest"
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of the tasks' logs."
  type        = number
  default     = 30
}

# --- RDS --------------------------------------------------------------------------------------------

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_allocated_storage" {
  description = "Initial storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "Storage autoscaling ceiling in GiB."
  type        = number
  default     = 500
}

variable "db_multi_az" {
  description = "A standby in another zone."
  type        = bool
  default     = false
}

variable "db_backup_retention_days" {
  description = "Days automated backups are kept (0 turns them off)."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Refuse to delete the database."
  type        = bool
  default     = true
}

# --- ElastiCache ------------------------------------------------------------------------------------

variable "cache_engine" {
  description = "redis or valkey."
  type        = string
  default     = "valkey"

  validation {
    condition     = contains(["redis", "valkey"], var.cache_engine)
    error_message = "cache_engine is redis or valkey."
  }
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
  default     = "cache.t4g.small"
}

variable "cache_replicas" {
  description = "Read replicas beside the primary (at least 1 for automatic failover)."
  type        = number
  default     = 1
}

# --- secrets ----------------------------------------------------------------------------------------

variable "smtp_host" {
  description = "SMTP server of the e-mail channel (its user and password go into the smtp secret)."
  type        = string
  default     = ""
}

variable "smtp_port" {
  description = "SMTP port."
  type        = number
  default     = 587
}

variable "email_from" {
  description = "Sender address of campaign e-mail (HERALD_EMAIL_FROM)."
  type        = string
  default     = "herald@example.com"
}

variable "upload_retention_days" {
  description = "Days an uploaded import file left in the uploads bucket is kept (a finished import deletes its own file; a failed one leaves it for a look)."
  type        = number
  default     = 30
}
