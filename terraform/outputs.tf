output "alb_dns_name" {
  description = "Point domain_name (CNAME or alias) here."
  value       = module.alb.dns_name
}

output "cluster_name" {
  description = "ECS cluster."
  value       = module.ecs_cluster.name
}

output "api_service_name" {
  description = "ECS service of the api role."
  value       = module.api.name
}

output "worker_service_name" {
  description = "ECS service of the worker role."
  value       = module.worker.name
}

output "migrate_task_definition_arn" {
  description = "One-off task that runs the migrations (HERALD_ROLE=migrate) before a deploy."
  value       = aws_ecs_task_definition.migrate.arn
}

output "migrate_network_configuration" {
  description = "awsvpcConfiguration for aws ecs run-task of the migrate task."
  value = {
    subnets        = module.vpc.private_subnets
    securityGroups = [aws_security_group.tasks.id]
    assignPublicIp = "DISABLED"
  }
}

output "database_address" {
  description = "RDS endpoint (reachable from the tasks only)."
  value       = module.db.db_instance_address
}

output "database_master_secret_arn" {
  description = "Secrets Manager secret RDS keeps the master password in."
  value       = module.db.db_instance_master_user_secret_arn
}

output "smtp_secret_arn" {
  description = "Fill in with the SMTP user and password."
  value       = aws_secretsmanager_secret.smtp.arn
}

output "sms_secret_arn" {
  description = "Fill in with the SMS provider's account and token."
  value       = aws_secretsmanager_secret.sms.arn
}

output "url" {
  description = "Where Herald answers once domain_name points at the ALB."
  value       = "https://${var.domain_name}"
}
