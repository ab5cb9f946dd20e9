locals {
  # settings every Herald task shares (the role comes on top); secrets are in secrets.tf
  herald_environment = [
    { name = "HERALD_DATABASE_URL", value = "jdbc:postgresql://${module.db.db_instance_address}:5432/herald?sslmode=require" },
    { name = "HERALD_REDIS_URL", value = "rediss://${module.cache.replication_group_primary_endpoint_address}:6379" },
    { name = "HERALD_PUBLIC_URL", value = var.herald_public_url },
    { name = "HERALD_CORS_ALLOWED_ORIGINS", value = var.herald_public_url },
    { name = "HERALD_LOG_FORMAT", value = "json" },
    { name = "HERALD_EMAIL_FROM", value = var.email_from },
    { name = "SPRING_MAIL_HOST", value = var.smtp_host },
    { name = "SPRING_MAIL_PORT", value = tostring(var.smtp_port) },
    { name = "AXONIQ_UPDATE_CHECK_DISABLED", value = "true" },
    { name = "HERALD_IMPORTS_STORAGE", value = "s3" },
    { name = "HERALD_FILES_S3_BUCKET", value = aws_s3_bucket.uploads.id },
    { name = "HERALD_FILES_S3_REGION", value = var.aws_region },
  ]

  herald_container = {
    image                    = var.herald_image
    essential                = true
    readonly_root_filesystem = false
    port_mappings = [
      { name = "http", containerPort = 8080, protocol = "tcp" },
    ]
    secrets = local.task_secrets
    health_check = {
      command     = ["CMD-SHELL", "bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf \"GET /actuator/health HTTP/1.0\\r\\n\\r\\n\" >&3 && head -n 1 <&3 | grep -q \" 200 \"'"]
      interval    = 15
      timeout     = 5
      retries     = 4
      startPeriod = 120
    }
    stop_timeout                           = 60
    enable_cloudwatch_logging              = true
    create_cloudwatch_log_group            = true
    cloudwatch_log_group_retention_in_days = var.log_retention_days
  }
}

module "ecs_cluster" {
  source  = "terraform-aws-modules/ecs/aws//modules/cluster"
  version = "5.12.1"

  cluster_name = local.name

  cluster_settings = [
    { name = "containerInsights", value = "enabled" },
  ]

  fargate_capacity_providers = {
    FARGATE = {
      default_capacity_provider_strategy = { weight = 100 }
    }
  }
}

# --- api: HTTP behind the ALB; scales on CPU and on requests per task --------------------------------

module "api" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.12.1"

  name        = "${local.name}-api"
  cluster_arn = module.ecs_cluster.arn
  cpu         = var.api_cpu
  memory      = var.api_memory

  desired_count          = var.api_min_count
  enable_execute_command = true
  subnet_ids             = module.vpc.private_subnets
  create_security_group  = false
  security_group_ids     = [aws_security_group.tasks.id]

  create_task_exec_iam_role = false
  task_exec_iam_role_arn    = aws_iam_role.execution.arn
  create_tasks_iam_role     = false
  tasks_iam_role_arn        = aws_iam_role.task.arn

  health_check_grace_period_seconds = 120
  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }

  container_definitions = {
    herald = merge(local.herald_container, {
      cpu         = var.api_cpu
      memory      = var.api_memory
      environment = concat(local.herald_environment, [{ name = "HERALD_ROLE", value = "api" }])
    })
  }

  load_balancer = {
    service = {
      target_group_arn = module.alb.target_groups["api"].arn
      container_name   = "herald"
      container_port   = 8080
    }
  }

  autoscaling_min_capacity = var.api_min_count
  autoscaling_max_capacity = var.api_max_count
  autoscaling_policies = {
    cpu = {
      policy_type = "TargetTrackingScaling"
      target_tracking_scaling_policy_configuration = {
        predefined_metric_specification = {
          predefined_metric_type = "ECSServiceAverageCPUUtilization"
        }
        target_value       = var.api_cpu_target
        scale_in_cooldown  = 300
        scale_out_cooldown = 60
      }
    }
    requests = {
      policy_type = "TargetTrackingScaling"
      target_tracking_scaling_policy_configuration = {
        predefined_metric_specification = {
          predefined_metric_type = "ALBRequestCountPerTarget"
          resource_label         = "${module.alb.arn_suffix}/${module.alb.target_groups["api"].arn_suffix}"
        }
        target_value       = var.api_requests_per_target
        scale_in_cooldown  = 300
        scale_out_cooldown = 60
      }
    }
  }
}

# --- worker: processors, sagas, delivery, imports, schedules; scales on pending deliveries ------------

module "worker" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.12.1"

  name        = "${local.name}-worker"
  cluster_arn = module.ecs_cluster.arn
  cpu         = var.worker_cpu
  memory      = var.worker_memory

  desired_count          = var.worker_min_count
  enable_execute_command = true
  subnet_ids             = module.vpc.private_subnets
  create_security_group  = false
  security_group_ids     = [aws_security_group.tasks.id]

  create_task_exec_iam_role = false
  task_exec_iam_role_arn    = aws_iam_role.execution.arn
  create_tasks_iam_role     = false
  tasks_iam_role_arn        = aws_iam_role.task.arn

  deployment_circuit_breaker = {
    enable   = true
    rollback = true
  }

  container_definitions = {
    herald = merge(local.herald_container, {
      # the task's size less the metrics agent's share below
      cpu         = var.worker_cpu - local.metrics_agent_cpu
      memory      = var.worker_memory - local.metrics_agent_memory
      environment = concat(local.herald_environment, [{ name = "HERALD_ROLE", value = "worker" }])
    })
    # scrapes Herald's management port in the same task (localhost:8081) and turns herald_deliveries_pending
    # into the CloudWatch metric Herald/DeliveriesPending{Environment} the autoscaling policy below tracks
    metrics-agent = {
      image                    = var.cloudwatch_agent_image
      essential                = false
      readonly_root_filesystem = false
      cpu                      = local.metrics_agent_cpu
      memory                   = local.metrics_agent_memory
      environment = [
        { name = "CW_CONFIG_CONTENT", value = local.metrics_agent_config },
        { name = "PROMETHEUS_CONFIG_CONTENT", value = local.metrics_agent_scrape },
      ]
      enable_cloudwatch_logging              = true
      create_cloudwatch_log_group            = true
      cloudwatch_log_group_retention_in_days = var.log_retention_days
    }
  }

  autoscaling_min_capacity = var.worker_min_count
  autoscaling_max_capacity = var.worker_max_count
  # the pending-deliveries policy is below (metric math the module's map does not take)
  autoscaling_policies = {}
}

# The worker's metrics agent: the CloudWatch agent as a sidecar, configured through its environment. It
# scrapes the worker's /actuator/prometheus every 30 s, keeps herald_deliveries_pending (the gauge of the
# shared delivery table, README "Metrics") renamed DeliveriesPending with an Environment label, and writes
# it as an embedded-metric-format log to the group below, from which CloudWatch makes the metric
# Herald/DeliveriesPending{Environment}. Every worker reports the same table: the policy takes the Maximum.
locals {
  metrics_agent_cpu    = 128
  metrics_agent_memory = 256

  metrics_agent_scrape = yamlencode({
    global = { scrape_interval = "30s", scrape_timeout = "10s" }
    scrape_configs = [{
      job_name     = "herald-worker"
      metrics_path = "/actuator/prometheus"
      static_configs = [{
        targets = ["localhost:8081"]
        labels  = { Environment = var.environment }
      }]
      metric_relabel_configs = [
        { source_labels = ["__name__"], regex = "herald_deliveries_pending", action = "keep" },
        { source_labels = ["__name__"], regex = "herald_deliveries_pending", target_label = "__name__", replacement = "DeliveriesPending" },
      ]
    }]
  })

  metrics_agent_config = jsonencode({
    agent = { region = var.aws_region }
    logs = {
      metrics_collected = {
        prometheus = {
          log_group_name         = aws_cloudwatch_log_group.worker_metrics.name
          prometheus_config_path = "env:PROMETHEUS_CONFIG_CONTENT"
          emf_processor = {
            metric_namespace = "Herald"
            metric_declaration = [{
              source_labels    = ["job"]
              label_matcher    = "^herald-worker$"
              dimensions       = [["Environment"]]
              metric_selectors = ["^DeliveriesPending$"]
            }]
          }
        }
      }
    }
  })
}

resource "aws_cloudwatch_log_group" "worker_metrics" {
  name              = "/ecs/${local.name}-worker-metrics"
  retention_in_days = var.log_retention_days
}

# Pending deliveries per running worker task, held near var.worker_pending_deliveries_per_task. The
# workers' metrics agents publish Herald/DeliveriesPending (the herald.deliveries.pending gauge, above).
resource "aws_appautoscaling_policy" "worker_pending_deliveries" {
  name               = "${local.name}-worker-pending-deliveries"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${module.ecs_cluster.name}/${module.worker.name}"

  target_tracking_scaling_policy_configuration {
    target_value       = var.worker_pending_deliveries_per_task
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      metrics {
        id          = "pending"
        return_data = false
        metric_stat {
          stat = "Maximum"
          metric {
            namespace   = "Herald"
            metric_name = "DeliveriesPending"
            dimensions {
              name  = "Environment"
              value = var.environment
            }
          }
        }
      }
      metrics {
        id          = "tasks"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"
            dimensions {
              name  = "ClusterName"
              value = module.ecs_cluster.name
            }
            dimensions {
              name  = "ServiceName"
              value = module.worker.name
            }
          }
        }
      }
      metrics {
        id          = "per_task"
        expression  = "pending / MAX([tasks, 1])"
        label       = "Pending deliveries per worker task"
        return_data = true
      }
    }
  }

  depends_on = [module.worker]
}

# --- migrate: a one-off task run before every deploy (deploy.yml; README in this folder) --------------

resource "aws_cloudwatch_log_group" "migrate" {
  name              = "/ecs/${local.name}-migrate"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_task_definition" "migrate" {
  family                   = "${local.name}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 1024
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([
    {
      name        = "herald"
      image       = var.herald_image
      essential   = true
      environment = concat(local.herald_environment, [{ name = "HERALD_ROLE", value = "migrate" }])
      secrets     = local.task_secrets
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.migrate.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "migrate"
        }
      }
    }
  ])
}
