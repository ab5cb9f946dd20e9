// Checks of the deployment files that need neither a container engine nor Terraform's registry (the CI
// machine has neither): every file parses, and what the deployment issue requires is there.
//   node .ci/deploy-checks/check.mjs [repository root]
// Exits 1 naming every problem found. GitHub Actions goes further (compose up, terraform validate, tflint).
import { readFileSync, readdirSync, existsSync, statSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative, dirname, basename } from 'node:path';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, parseDocument } from 'yaml';
import { parse as parseHcl } from '@cdktf/hcl2json';

const root = process.argv[2] || join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const problems = [];
const passed = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);
const read = (path) => readFileSync(join(root, path), 'utf8');
const exists = (path) => existsSync(join(root, path));

function files(dir, suffixes) {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(join(root, d))) {
      if (name === '.terraform' || name === 'node_modules') continue;
      const path = join(d, name);
      if (statSync(join(root, path)).isDirectory()) walk(path);
      else if (suffixes.some((s) => name.endsWith(s))) out.push(path);
    }
  };
  if (exists(dir)) walk(dir);
  return out.sort();
}

function yaml(path) {
  const doc = parseDocument(read(path), { uniqueKeys: true, merge: true });
  if (doc.errors.length) {
    problem(path, `not valid YAML: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
    return null;
  }
  return doc.toJS({ maxAliasCount: 1000 });
}

// --- docker-compose.yml ------------------------------------------------------------------------------
function checkCompose() {
  const path = 'docker-compose.yml';
  if (!exists(path)) return problem(path, 'missing');
  const compose = yaml(path);
  if (!compose) return;
  const services = compose.services || {};
  const need = {
    postgres: /^postgres:16/, redis: /^redis:7/, api: null, worker: null, migrate: null,
    n8n: /n8n:2\./, jaeger: /^jaegertracing\/jaeger:2\./, prometheus: /^prom\/prometheus:/,
    grafana: /^grafana\/grafana:/, mailpit: /^axllent\/mailpit:/,
  };
  for (const [name, image] of Object.entries(need)) {
    const service = services[name];
    if (!service) { problem(path, `no service ${name}`); continue; }
    if (image && !image.test(String(service.image))) problem(path, `${name}: image ${service.image} is not ${image}`);
  }
  const env = (name) => (services[name] && services[name].environment) || {};
  for (const [name, role] of [['api', 'api'], ['worker', 'worker'], ['migrate', 'migrate']]) {
    if (!services[name]) continue;
    if (env(name).HERALD_ROLE !== role) problem(path, `${name}: HERALD_ROLE is not ${role}`);
    if (!services[name].build && !services[name].image) problem(path, `${name}: neither build nor image`);
    for (const key of ['HERALD_DATABASE_URL', 'HERALD_REDIS_URL', 'HERALD_PUBLIC_URL', 'SPRING_MAIL_HOST']) {
      if (!(key in env(name))) problem(path, `${name}: no ${key}`);
    }
  }
  if (services.api && services.api.ports) problem(path, 'api publishes a host port: it could not be scaled (the proxy publishes)');
  if (services.api && services.api.container_name) problem(path, 'api has a container_name: it could not be scaled');
  // (jaeger's image has a health check of its own, and no shell tool to write another with)
  for (const name of ['postgres', 'redis', 'mailpit', 'n8n', 'prometheus', 'grafana']) {
    if (services[name] && !services[name].healthcheck) problem(path, `${name}: no healthcheck`);
  }
  const dependsOn = (name, on, condition) => {
    const d = services[name] && services[name].depends_on;
    const c = d && !Array.isArray(d) && d[on] && d[on].condition;
    if (c !== condition) problem(path, `${name} should depend on ${on} (${condition})`);
  };
  dependsOn('migrate', 'postgres', 'service_healthy');
  dependsOn('api', 'migrate', 'service_completed_successfully');
  dependsOn('worker', 'migrate', 'service_completed_successfully');
  if (services.worker && env('worker').SPRING_MAIL_HOST !== undefined && !/mailpit/.test(String(env('worker').SPRING_MAIL_HOST))) {
    problem(path, 'worker: SPRING_MAIL_HOST does not default to mailpit');
  }
  const jaegerPorts = JSON.stringify((services.jaeger && services.jaeger.ports) || []);
  for (const port of ['4317', '4318', '16686']) if (!jaegerPorts.includes(port)) problem(path, `jaeger: port ${port} not published`);
  const volumes = Object.keys(compose.volumes || {});
  if (!volumes.includes('postgres-data')) problem(path, 'no named volume for PostgreSQL');
  for (const [name, service] of Object.entries(services)) {
    for (const v of service.volumes || []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source.startsWith('./')) {
        if (source === './n8n-workflows') continue; // made by the n8n issue; compose creates it empty
        if (!exists(source)) problem(path, `${name}: mounts ${source}, which does not exist`);
      } else if (!volumes.includes(source)) problem(path, `${name}: volume ${source} is not declared`);
    }
  }
  if (!JSON.stringify(services.n8n || {}).includes('/workflows')) problem(path, 'n8n: n8n-workflows/ is not mounted');
  // every variable the file reads is in .env.example, and nothing else is
  const used = new Set([...read(path).matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]));
  if (!exists('.env.example')) return problem('.env.example', 'missing');
  const listed = new Set(read('.env.example').split('\n').filter((l) => /^[A-Z]/.test(l)).map((l) => l.split('=')[0]));
  for (const v of used) if (!listed.has(v)) problem('.env.example', `${v} (read by docker-compose.yml) is missing`);
  for (const v of listed) if (!used.has(v)) problem('.env.example', `${v} is not read by docker-compose.yml`);
  if (!listed.has('HERALD_PUBLIC_URL')) problem('.env.example', 'no HERALD_PUBLIC_URL');
  passed.push(`${path}: ${Object.keys(services).length} services, .env.example in step`);

  // Herald serves /actuator/prometheus on its management port: Prometheus scrapes that one
  const managementPort = String(env('api').HERALD_MANAGEMENT_PORT || '');
  const scrapes = JSON.stringify((yaml('compose/prometheus/prometheus.yml') || {}).scrape_configs || []);
  if (!managementPort || env('worker').HERALD_MANAGEMENT_PORT !== env('api').HERALD_MANAGEMENT_PORT) {
    problem(path, 'api and worker do not set one HERALD_MANAGEMENT_PORT');
  } else if ((scrapes.match(new RegExp(`"port":${managementPort}\\b`, 'g')) || []).length < 2) {
    problem('compose/prometheus/prometheus.yml', `herald-api and herald-worker are not scraped on the management port ${managementPort}`);
  }
  for (const config of ['compose/prometheus/prometheus.yml', ...files('compose/prometheus/rules', ['.yml']),
    ...files('compose/grafana/provisioning', ['.yml'])]) {
    const parsed = yaml(config);
    if (parsed && config.includes('/rules/')) {
      for (const group of parsed.groups || []) {
        for (const rule of group.rules || []) if (!rule.expr) problem(config, `rule ${rule.alert || rule.record} has no expr`);
      }
    }
  }
  for (const script of files('compose', ['.sh'])) {
    try {
      execFileSync('sh', ['-n', join(root, script)], { stdio: 'pipe' });
    } catch (e) {
      problem(script, `not valid sh: ${String(e.stderr).trim()}`);
    }
  }
  for (const dashboard of files('compose/grafana/dashboards', ['.json'])) {
    try { if (!JSON.parse(read(dashboard)).panels) problem(dashboard, 'no panels'); } catch (e) { problem(dashboard, `not JSON: ${e.message}`); }
  }
}

// --- Dockerfile -------------------------------------------------------------------------------------
function checkDockerfile() {
  const path = 'Dockerfile';
  if (!exists(path)) return problem(path, 'missing');
  const text = read(path);
  const need = {
    'layered extraction with the launcher': /-Djarmode=tools .*extract --layers --launcher/,
    'a JRE 21 runtime base': /^FROM eclipse-temurin:21-jre/m,
    'a non-root user': /^USER (?!root\b|0\b)\S+/m,
    'a health check': /^HEALTHCHECK /m,
    'container JVM flags': /MaxRAMPercentage/,
    'the launcher as entry point': /org\.springframework\.boot\.loader\.launch\.JarLauncher/,
  };
  for (const [what, re] of Object.entries(need)) if (!re.test(text)) problem(path, `no ${what}`);
  // an exec form that is not valid JSON is silently run as a shell form: every one must parse
  let execForms = 0;
  for (const m of text.matchAll(/^\s*(CMD|ENTRYPOINT|RUN) (\[.*?)\s*$/gm)) {
    execForms++;
    try { JSON.parse(m[2]); } catch (e) { problem(path, `${m[1]} ${m[2].slice(0, 40)}…: not valid JSON (${e.message})`); }
  }
  if (execForms < 2) problem(path, 'the health check and the entry point are not both in exec form');
  if (!exists('.dockerignore')) problem('.dockerignore', 'missing');
  else if (!/target\//.test(read('.dockerignore'))) problem('.dockerignore', 'does not leave out target/');
  passed.push(`${path}: layers, JRE 21, non-root, health check`);
}

// --- terraform/ -------------------------------------------------------------------------------------
async function checkTerraform() {
  const tf = files('terraform', ['.tf']);
  if (!tf.length) return problem('terraform/', 'no .tf files');
  const merged = { resource: {}, data: {}, module: {}, variable: {}, output: {} };
  for (const path of tf) {
    let json;
    try {
      json = await parseHcl(basename(path), read(path));
    } catch (e) {
      problem(path, `not valid HCL: ${String(e.message || e).split('\n')[0]}`);
      continue;
    }
    for (const [type, byName] of Object.entries(json.resource || {})) {
      merged.resource[type] = Object.assign(merged.resource[type] || {}, byName);
    }
    for (const [type, byName] of Object.entries(json.data || {})) {
      merged.data[type] = Object.assign(merged.data[type] || {}, byName);
    }
    for (const kind of ['module', 'variable', 'output']) Object.assign(merged[kind], json[kind] || {});
    if (json.locals) merged.locals = (merged.locals || []).concat(json.locals);
  }
  const modules = {
    vpc: 'terraform-aws-modules/vpc/aws', alb: 'terraform-aws-modules/alb/aws',
    ecs_cluster: 'terraform-aws-modules/ecs/aws//modules/cluster', api: 'terraform-aws-modules/ecs/aws//modules/service',
    worker: 'terraform-aws-modules/ecs/aws//modules/service', db: 'terraform-aws-modules/rds/aws',
    cache: 'terraform-aws-modules/elasticache/aws',
  };
  const moduleBody = (name) => (merged.module[name] || [])[0];
  for (const [name, source] of Object.entries(modules)) {
    const m = moduleBody(name);
    if (!m) { problem('terraform/', `no module "${name}"`); continue; }
    if (m.source !== source) problem('terraform/', `module ${name}: source ${m.source}, expected ${source}`);
    if (!/^\d+\.\d+\.\d+$/.test(String(m.version))) problem('terraform/', `module ${name}: version "${m.version}" is not pinned`);
  }
  const db = moduleBody('db') || {};
  if (db.manage_master_user_password !== true) problem('terraform/', 'RDS does not manage its master password');
  if (!String(db.multi_az).includes('var.')) problem('terraform/', 'RDS Multi-AZ is not a variable');
  if (!String(db.backup_retention_period).includes('var.')) problem('terraform/', 'RDS backups are not a variable');
  if (String(db.engine_version) !== '16' && !String(db.engine_version).startsWith('16.')) problem('terraform/', 'RDS is not PostgreSQL 16');
  const api = JSON.stringify(moduleBody('api') || {});
  for (const metric of ['ECSServiceAverageCPUUtilization', 'ALBRequestCountPerTarget']) {
    if (!api.includes(metric)) problem('terraform/', `api does not scale on ${metric}`);
  }
  const sets = (body, role) => new RegExp(`HERALD_ROLE[^}]*value = \\\\"${role}\\\\"`).test(body);
  if (!sets(api, 'api') || !sets(JSON.stringify(moduleBody('worker') || {}), 'worker')) {
    problem('terraform/', 'api/worker services do not set HERALD_ROLE');
  }
  const alb = JSON.stringify(moduleBody('alb') || {});
  if (!alb.includes('HTTPS') || !alb.includes('certificate_arn')) problem('terraform/', 'the ALB has no HTTPS listener');
  const resources = {
    aws_appautoscaling_policy: 'worker_pending_deliveries', aws_ecs_task_definition: 'migrate',
    aws_secretsmanager_secret: 'jwt_signing_key', aws_iam_role: 'execution', aws_cloudwatch_log_group: 'migrate',
    aws_security_group: 'database', aws_s3_bucket: 'uploads', aws_s3_bucket_lifecycle_configuration: 'uploads',
  };
  for (const [type, name] of Object.entries(resources)) {
    if (!(merged.resource[type] || {})[name]) problem('terraform/', `no resource ${type}.${name}`);
  }
  for (const name of ['smtp', 'sms']) if (!(merged.resource.aws_secretsmanager_secret || {})[name]) problem('terraform/', `no secret for ${name}`);
  const pending = JSON.stringify((merged.resource.aws_appautoscaling_policy || {}).worker_pending_deliveries || {});
  if (!pending.includes('DeliveriesPending')) problem('terraform/', 'the worker does not scale on pending deliveries');
  // the metric it scales on is published: the worker's metrics agent scrapes the management port and renames the gauge
  const workerTask = JSON.stringify(moduleBody('worker') || {});
  const metricsLocals = JSON.stringify(merged.locals || []);
  if (!workerTask.includes('metrics-agent') || !metricsLocals.includes('localhost:8081')
      || !metricsLocals.includes('herald_deliveries_pending') || !metricsLocals.includes('DeliveriesPending')) {
    problem('terraform/', 'no metrics agent publishes herald_deliveries_pending from the worker as Herald/DeliveriesPending');
  }
  // uploads in S3, so an import uploaded to any api task is run by any worker task
  const environment = JSON.stringify(merged.locals || []);
  if (!environment.includes('HERALD_IMPORTS_STORAGE') || !environment.includes('aws_s3_bucket.uploads')) {
    problem('terraform/', 'the tasks do not keep uploads in the S3 bucket (HERALD_IMPORTS_STORAGE=s3, HERALD_FILES_S3_BUCKET)');
  }
  if (!JSON.stringify((merged.data.aws_iam_policy_document || {}).task || {}).includes('aws_s3_bucket.uploads')) problem('terraform/', 'the task role cannot reach the uploads bucket');
  if (!JSON.stringify(merged.resource.aws_ecs_task_definition || {}).includes('migrate')) problem('terraform/', 'the migrate task does not set HERALD_ROLE=migrate');
  // only the tasks reach the database
  const dbIngress = Object.values(merged.resource.aws_vpc_security_group_ingress_rule || {}).map((r) => r[0])
    .filter((r) => String(r.security_group_id).includes('aws_security_group.database'));
  if (!dbIngress.length) problem('terraform/', 'no ingress rule for the database');
  for (const r of dbIngress) {
    if (r.cidr_ipv4 || r.cidr_ipv6 || !String(r.referenced_security_group_id).includes('aws_security_group.tasks')) {
      problem('terraform/', 'the database admits more than the tasks');
    }
  }
  for (const v of ['environment', 'aws_region', 'herald_public_url', 'herald_image', 'certificate_arn', 'db_multi_az',
    'db_backup_retention_days', 'api_min_count', 'api_max_count', 'worker_min_count', 'worker_max_count']) {
    if (!merged.variable[v]) problem('terraform/', `no variable "${v}"`);
  }
  const declared = new Set(Object.keys(merged.variable));
  // tflint's terraform_unused_declarations, approximately: every variable is read somewhere
  const allTf = tf.map(read).join('\n');
  for (const v of declared) if (!new RegExp(`var\\.${v}\\b`).test(allTf)) problem('terraform/', `variable "${v}" is never used`);
  for (const env of ['staging', 'production']) {
    const path = `terraform/environments/${env}.tfvars`;
    if (!exists(path)) { problem(path, 'missing'); continue; }
    let values;
    try { values = await parseHcl(`${env}.tfvars`, read(path)); } catch (e) { problem(path, `not valid HCL: ${e.message}`); continue; }
    if (!/^https:\/\//.test(String(values.herald_public_url))) problem(path, 'no https herald_public_url');
    if (values.environment !== env) problem(path, `environment is not "${env}"`);
    for (const k of Object.keys(values)) if (!declared.has(k)) problem(path, `sets ${k}, which is no variable`);
    if (!exists(`terraform/environments/${env}.s3.tfbackend`)) problem(path, 'no backend configuration beside it');
  }
  const versions = tf.map(read).join('\n');
  if (!/backend\s+"s3"/.test(versions)) problem('terraform/', 'no remote state (backend "s3")');
  if (!exists('terraform/README.md') || !/Remote state/.test(read('terraform/README.md'))) problem('terraform/README.md', 'remote state not documented');
  passed.push(`terraform/: ${tf.length} files, ${Object.keys(merged.module).length} modules, ${Object.values(merged.resource).reduce((n, r) => n + Object.keys(r).length, 0)} resources, ${declared.size} variables`);
}

// --- k6/ --------------------------------------------------------------------------------------------
function checkK6() {
  const scripts = files('k6', ['.js']).filter((p) => !p.includes('/lib/'));
  const need = ['tracking-ingest.js', 'tracking-single.js', 'campaign-fanout.js', 'api.js', 'flow-entries.js'];
  for (const n of need) if (!scripts.includes(`k6/${n}`)) problem('k6/', `no ${n}`);
  const dir = mkdtempSync(join(tmpdir(), 'herald-k6-'));
  try {
    for (const path of files('k6', ['.js'])) {
      // syntax only: k6's modules (k6/http, …) are not Node's, so the file is checked, not run
      const copy = join(dir, relative('k6', path).replace(/\//g, '__') + '.mjs');
      writeFileSync(copy, read(path));
      try {
        execFileSync(process.execPath, ['--check', copy], { stdio: 'pipe' });
      } catch (e) {
        problem(path, `not valid JavaScript: ${String(e.stderr).split('\n').slice(0, 5).join(' ')}`);
      }
      if (path.includes('/lib/')) continue;
      const text = read(path);
      if (!/export const options\s*=/.test(text)) problem(path, 'no options');
      if (!/thresholds\s*:/.test(text)) problem(path, 'no thresholds');
      if (!/scenarios\s*:/.test(text)) problem(path, 'no scenarios');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (exists('k6/tracking-ingest.js') && !/constant-arrival-rate/.test(read('k6/tracking-ingest.js'))) {
    problem('k6/tracking-ingest.js', 'not a constant-arrival-rate scenario');
  }
  if (!exists('k6/README.md')) problem('k6/README.md', 'missing');
  passed.push(`k6/: ${scripts.length} scripts with scenarios and thresholds`);
}

// --- .github/workflows/ -----------------------------------------------------------------------------
function checkWorkflows() {
  const dir = '.github/workflows';
  const all = files(dir, ['.yml', '.yaml']);
  const parsed = {};
  for (const path of all) {
    const wf = yaml(path);
    if (!wf) continue;
    parsed[basename(path)] = wf;
    if (!wf.on) problem(path, 'no "on"');
    if (!wf.jobs || !Object.keys(wf.jobs).length) problem(path, 'no jobs');
    for (const [id, job] of Object.entries(wf.jobs || {})) {
      if (!job['runs-on'] && !job.uses) problem(path, `job ${id}: neither runs-on nor uses`);
      for (const step of job.steps || []) {
        if (!step.run && !step.uses) problem(path, `job ${id}: a step with neither run nor uses`);
        if (step.uses && !step.uses.startsWith('./') && !/@[\w.-]+$/.test(step.uses)) problem(path, `job ${id}: ${step.uses} has no version`);
      }
      if (job.uses && job.uses.startsWith('./') && !exists(job.uses.slice(2))) problem(path, `job ${id}: ${job.uses} does not exist`);
    }
  }
  for (const name of ['ci.yml', 'image.yml', 'deploy.yml', 'k6.yml']) if (!parsed[name]) problem(dir, `no ${name}`);
  const text = (name) => JSON.stringify(parsed[name] || {});
  const ci = text('ci.yml');
  for (const [what, needle] of [['PostgreSQL service', '"postgres"'], ['Redis service', '"redis"'], ['JDK 21', '"java-version":"21"'],
    ['Node 20', '"node-version":"20"'], ['Maven cache', '"cache":"maven"'], ['npm cache', '"cache":"npm"'], ['Chromium', 'chromium'],
    ['.ci/run', '.ci/run'], ['test reports', 'surefire-reports'], ['compose up', 'docker compose up']]) {
    if (!ci.includes(needle)) problem('ci.yml', `no ${what}`);
  }
  const image = text('image.yml');
  for (const [what, needle] of [['tag trigger', '"tags"'], ['SBOM', '"sbom":true'], ['provenance', '"provenance"'], ['push', '"push":true']]) {
    if (!image.includes(needle)) problem('image.yml', `no ${what}`);
  }
  const deploy = text('deploy.yml') + text('deploy-environment.yml');
  for (const [what, needle] of [['plan on pull requests', '"pull_request"'], ['terraform plan', 'terraform plan'], ['apply on a tag', '"tags"'],
    ['environment approval', '"environment"'], ['terraform apply', 'terraform apply'], ['init -backend=false', 'init -backend=false'],
    ['validate', 'terraform validate'], ['tflint', 'tflint'], ['the migrate task', 'migrate']]) {
    if (!deploy.includes(needle)) problem('deploy.yml', `no ${what}`);
  }
  const k6 = text('k6.yml');
  if (!k6.includes('"schedule"')) problem('k6.yml', 'not scheduled');
  if (!k6.includes('docker compose up')) problem('k6.yml', 'does not start the compose stack');
  passed.push(`.github/workflows/: ${all.length} workflows parsed`);
}

checkDockerfile();
checkCompose();
await checkTerraform();
checkK6();
checkWorkflows();
for (const p of passed) console.log(`checked ${p}`);
for (const p of problems) console.error(`FAIL ${p}`);
if (problems.length) {
  console.error(`${problems.length} problem(s) in the deployment files`);
  process.exit(1);
}
console.log('deployment files: all checks passed');
