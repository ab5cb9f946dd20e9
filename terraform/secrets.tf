# Secrets Manager: what Herald must not read from its environment in plain text. The tasks get them as
# environment variables through ECS (the execution role may read exactly these).

resource "tls_private_key" "jwt" {
  algorithm = "RSA"
  rsa_bits  = 2048
}

resource "aws_secretsmanager_secret" "jwt_signing_key" {
  name_prefix = "${local.name}/jwt-signing-key-"
  description = "HERALD_JWT_PRIVATE_KEY: RSA key (PKCS#8 PEM) that signs Herald's tokens"
}

resource "aws_secretsmanager_secret_version" "jwt_signing_key" {
  secret_id     = aws_secretsmanager_secret.jwt_signing_key.id
  secret_string = tls_private_key.jwt.private_key_pem_pkcs8
}

resource "random_password" "unsubscribe" {
  length  = 48
  special = false
}

resource "random_password" "webhook_signing" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret" "herald_keys" {
  name_prefix = "${local.name}/keys-"
  description = "HMAC keys of unsubscribe links and webhook signatures"
}

resource "aws_secretsmanager_secret_version" "herald_keys" {
  secret_id = aws_secretsmanager_secret.herald_keys.id
  secret_string = jsonencode({
    unsubscribe_secret     = random_password.unsubscribe.result
    webhook_signing_secret = random_password.webhook_signing.result
  })
}

# SMTP and SMS provider credentials: created empty, filled in out of band
#   aws secretsmanager put-secret-value --secret-id <arn> --secret-string '{"username":"…","password":"…"}'
resource "aws_secretsmanager_secret" "smtp" {
  name_prefix = "${local.name}/smtp-"
  description = "SMTP user and password of the e-mail channel"
}

resource "aws_secretsmanager_secret_version" "smtp" {
  secret_id     = aws_secretsmanager_secret.smtp.id
  secret_string = jsonencode({ username = "", password = "" })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "sms" {
  name_prefix = "${local.name}/sms-"
  description = "SMS provider account and token"
}

resource "aws_secretsmanager_secret_version" "sms" {
  secret_id     = aws_secretsmanager_secret.sms.id
  secret_string = jsonencode({ base_url = "", account_sid = "", auth_token = "", from = "" })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

locals {
  # every secret a task reads; the execution role may read these and nothing else
  task_secret_arns = [
    aws_secretsmanager_secret.jwt_signing_key.arn,
    aws_secretsmanager_secret.herald_keys.arn,
    aws_secretsmanager_secret.smtp.arn,
    aws_secretsmanager_secret.sms.arn,
    module.db.db_instance_master_user_secret_arn,
  ]

  task_secrets = [
    { name = "HERALD_DATABASE_USERNAME", valueFrom = "${module.db.db_instance_master_user_secret_arn}:username::" },
    { name = "HERALD_DATABASE_PASSWORD", valueFrom = "${module.db.db_instance_master_user_secret_arn}:password::" },
    { name = "HERALD_JWT_PRIVATE_KEY", valueFrom = aws_secretsmanager_secret.jwt_signing_key.arn },
    { name = "HERALD_UNSUBSCRIBE_SECRET", valueFrom = "${aws_secretsmanager_secret.herald_keys.arn}:unsubscribe_secret::" },
    { name = "HERALD_WEBHOOK_SIGNING_SECRET", valueFrom = "${aws_secretsmanager_secret.herald_keys.arn}:webhook_signing_secret::" },
    { name = "SPRING_MAIL_USERNAME", valueFrom = "${aws_secretsmanager_secret.smtp.arn}:username::" },
    { name = "SPRING_MAIL_PASSWORD", valueFrom = "${aws_secretsmanager_secret.smtp.arn}:password::" },
    { name = "HERALD_SMS_BASE_URL", valueFrom = "${aws_secretsmanager_secret.sms.arn}:base_url::" },
    { name = "HERALD_SMS_ACCOUNT_SID", valueFrom = "${aws_secretsmanager_secret.sms.arn}:account_sid::" },
    { name = "HERALD_SMS_AUTH_TOKEN", valueFrom = "${aws_secretsmanager_secret.sms.arn}:auth_token::" },
    { name = "HERALD_SMS_FROM", valueFrom = "${aws_secretsmanager_secret.sms.arn}:from::" },
  ]
}
