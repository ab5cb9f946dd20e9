module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.12.0"

  identifier = local.name

  engine               = "postgres"
  engine_version       = "16"
  family               = "postgres16"
  major_engine_version = "16"
  instance_class       = var.db_instance_class

  allocated_storage     = var.db_allocated_storage
  max_allocated_storage = var.db_max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true

  db_name  = "herald"
  username = "herald"
  port     = 5432

  # RDS keeps the master password in Secrets Manager and rotates it; the tasks read it from there
  manage_master_user_password = true

  multi_az               = var.db_multi_az
  db_subnet_group_name   = module.vpc.database_subnet_group_name
  vpc_security_group_ids = [aws_security_group.database.id]
  publicly_accessible    = false

  backup_retention_period          = var.db_backup_retention_days
  backup_window                    = "02:00-03:00"
  maintenance_window               = "Sun:03:30-Sun:05:00"
  deletion_protection              = var.db_deletion_protection
  skip_final_snapshot              = false
  final_snapshot_identifier_prefix = "${local.name}-final"
  copy_tags_to_snapshot            = true

  performance_insights_enabled          = true
  performance_insights_retention_period = 7
  enabled_cloudwatch_logs_exports       = ["postgresql"]

  parameters = [
    { name = "log_min_duration_statement", value = "1000" },
  ]
}

module "cache" {
  source  = "terraform-aws-modules/elasticache/aws"
  version = "1.6.0"

  replication_group_id = local.name
  description          = "Herald: rate limits and send rates shared by all instances"

  engine         = var.cache_engine
  engine_version = var.cache_engine == "valkey" ? "8.0" : "7.1"
  node_type      = var.cache_node_type

  num_cache_clusters         = 1 + var.cache_replicas
  automatic_failover_enabled = var.cache_replicas > 0
  multi_az_enabled           = var.cache_replicas > 0

  transit_encryption_enabled = true
  at_rest_encryption_enabled = true

  vpc_id                = module.vpc.vpc_id
  create_security_group = false
  security_group_ids    = [aws_security_group.cache.id]
  create_subnet_group   = false
  subnet_group_name     = module.vpc.elasticache_subnet_group_name

  create_parameter_group = true
  parameter_group_family = var.cache_engine == "valkey" ? "valkey8" : "redis7"

  apply_immediately = true
}
