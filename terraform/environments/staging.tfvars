environment       = "staging"
aws_region        = "eu-west-1"
herald_public_url = "https://herald.staging.example.com"
domain_name       = "herald.staging.example.com"
certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
herald_image      = "ghcr.io/example/herald:latest"

single_nat_gateway = true

api_min_count    = 1
api_max_count    = 3
worker_min_count = 1
worker_max_count = 2

db_instance_class        = "db.t4g.medium"
db_multi_az              = false
db_backup_retention_days = 3
db_deletion_protection   = false

cache_node_type = "cache.t4g.micro"
cache_replicas  = 0

log_retention_days = 14
