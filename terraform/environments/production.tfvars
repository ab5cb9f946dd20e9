environment       = "production"
aws_region        = "eu-west-1"
herald_public_url = "https://herald.example.com"
domain_name       = "herald.example.com"
certificate_arn   = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-1111-1111-1111-111111111111"
herald_image      = "ghcr.io/example/herald:latest"

availability_zone_count = 3
single_nat_gateway      = false

api_min_count = 2
api_max_count = 12
api_cpu       = 2048
api_memory    = 4096

worker_min_count = 2
worker_max_count = 10
worker_cpu       = 2048
worker_memory    = 4096

db_instance_class        = "db.r7g.large"
db_allocated_storage     = 200
db_max_allocated_storage = 2000
db_multi_az              = true
db_backup_retention_days = 30
db_deletion_protection   = true

cache_node_type = "cache.r7g.large"
cache_replicas  = 2

log_retention_days = 90
