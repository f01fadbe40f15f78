"""Benchmark of site.yml on the local emulator (issue 16; speed targets live here, not in timed tests).

    python -m tools.bench [--runs 3] [--services 10] [--quick] [--out .bench]

On an emulator of its own (port DITO_BENCH_EMULATOR_PORT, 5197), each of --runs rounds resets the account and times
(a) the first converge, (b) a no-op re-run and (c) --check on the converged stack: wall time, CPU time (user + system
of ansible-playbook and every process it started) and the API requests the emulator answered (its request log). Then:

- K, the AWS resources site.yml manages, counted in the emulator after a converge as CloudFormation would declare
  them (a repository, a bucket and its bucket policy, a load balancer, each target group, listener, security group,
  role and inline role policy, alarm, scalable target and scaling policy, log group, task-definition family, service,
  record, KMS key and alias, parameter, ... each is one; rules inside a security group or a lifecycle policy inside
  a repository are part of their resource);
- (d) the naive floor: K tasks of amazon.aws.aws_caller_info, one module run per resource, on one host;
- the no-op re-run with --services services in the inventory (the extra ones named bench3, bench4, ...), converged
  once first.

It prints the medians and the ratios (b)/(d), (a)/(d), requests per managed resource on the no-op run and
(N services)/(2 services), writes them as JSON (<out>/bench.json) and charts the time per role of the first converge
and of the no-op run (<out>/roles.png; from the profile_roles callback, whose per-role times overlap as hosts run in parallel) when
matplotlib is installed (`pip install matplotlib`; the chart is skipped otherwise). --quick: one round, no
N-services run (what a CI may run to prove the benchmark works).
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3
import yaml

from tools.emulator import request_log

ROOT = Path(__file__).resolve().parents[1]
REGION = "eu-west-1"
ROLES_RECAP = re.compile(r"^(\S+) -+ ([0-9.]+)s$", re.M)
RECAP = re.compile(r"^\S+\s+: ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", re.M)


def emulator(command, port):
    subprocess.run([sys.executable, "-m", "tools.emulator", command, "--port", str(port)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def log_size(log):
    return os.path.getsize(log) if os.path.exists(log) else 0


def requests_since(log, offset):
    return len(request_log.read(log, offset)) if os.path.exists(log) else 0


def play(env, log, playbook, *args, inventory=None):
    """Run a playbook; its wall and CPU seconds, the requests the emulator answered, its changed total, roles' times."""
    cmd = [str(ROOT / ".venv" / "bin" / "ansible-playbook"), str(playbook), "-i", str(inventory or ROOT / "inventories" / "local"), *args]
    offset, cpu0, t0 = log_size(log), children_cpu(), time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.monotonic() - t0, children_cpu() - cpu0
    recap = RECAP.findall(proc.stdout)
    if proc.returncode != 0 or any(int(failed) for _changed, failed in recap):
        sys.exit(f"bench: {' '.join(cmd[1:])} failed:\n{proc.stdout[-4000:]}{proc.stderr[-2000:]}")
    roles = {}
    if "ROLES RECAP" in proc.stdout:
        for role, seconds in ROLES_RECAP.findall(proc.stdout.split("ROLES RECAP", 1)[1]):
            if role != "total":
                roles[role] = float(seconds)
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "requests": requests_since(log, offset),
        "changed": sum(int(changed) for changed, _failed in recap),
        "roles_s": roles,
    }


def count_resources(endpoint):
    """The AWS resources in the emulator's account, by CloudFormation resource type (see the module docstring)."""

    def c(service):
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint)

    counts = {}
    ecr, s3, elb, ec2 = c("ecr"), c("s3"), c("elbv2"), c("ec2")
    counts["ECR::Repository"] = len(ecr.describe_repositories()["repositories"])
    buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    counts["S3::Bucket"] = len(buckets)
    counts["S3::BucketPolicy"] = sum(1 for b in buckets if _has(lambda b=b: s3.get_bucket_policy(Bucket=b)))
    lbs = elb.describe_load_balancers()["LoadBalancers"]
    counts["ElasticLoadBalancingV2::LoadBalancer"] = len(lbs)
    counts["ElasticLoadBalancingV2::TargetGroup"] = len(elb.describe_target_groups()["TargetGroups"])
    counts["ElasticLoadBalancingV2::Listener"] = sum(len(elb.describe_listeners(LoadBalancerArn=lb["LoadBalancerArn"])["Listeners"]) for lb in lbs)
    counts["EC2::SecurityGroup"] = sum(1 for g in ec2.describe_security_groups()["SecurityGroups"] if g["GroupName"] != "default")
    ecs = c("ecs")
    clusters = ecs.list_clusters()["clusterArns"]
    counts["ECS::Cluster"] = len(clusters)
    counts["ECS::Service"] = sum(len(ecs.list_services(cluster=arn)["serviceArns"]) for arn in clusters)
    counts["ECS::TaskDefinition"] = len(ecs.list_task_definition_families(status="ACTIVE")["families"])
    scaling = c("application-autoscaling")
    counts["ApplicationAutoScaling::ScalableTarget"] = len(scaling.describe_scalable_targets(ServiceNamespace="ecs")["ScalableTargets"])
    counts["ApplicationAutoScaling::ScalingPolicy"] = len(scaling.describe_scaling_policies(ServiceNamespace="ecs")["ScalingPolicies"])
    counts["CloudWatch::Alarm"] = len(c("cloudwatch").describe_alarms()["MetricAlarms"])
    counts["Logs::LogGroup"] = len(c("logs").describe_log_groups()["logGroups"])
    iam = c("iam")
    roles = [r["RoleName"] for r in iam.list_roles()["Roles"]]
    counts["IAM::Role"] = len(roles)
    counts["IAM::RolePolicy"] = sum(len(iam.list_role_policies(RoleName=r)["PolicyNames"]) for r in roles)
    r53 = c("route53")
    zones = r53.list_hosted_zones()["HostedZones"]
    cloudmap = c("servicediscovery")
    namespaces = cloudmap.list_namespaces()["Namespaces"]
    namespace_zones = {cloudmap.get_namespace(Id=n["Id"])["Namespace"].get("Properties", {}).get("DnsProperties", {}).get("HostedZoneId") for n in namespaces}
    # Zones and records that Cloud Map makes for its namespace and services are Cloud Map's, not site.yml's.
    ours = [z for z in zones if z["Id"].split("/")[-1] not in namespace_zones]
    counts["Route53::HostedZone"] = sum(1 for z in ours if z["Config"]["PrivateZone"])  # the public zone is the user's
    counts["Route53::RecordSet"] = sum(
        1 for z in ours for r in r53.list_resource_record_sets(HostedZoneId=z["Id"])["ResourceRecordSets"] if r["Type"] not in ("NS", "SOA")
    )
    counts["ServiceDiscovery::Namespace"] = len(namespaces)
    counts["ServiceDiscovery::Service"] = len(cloudmap.list_services()["Services"])
    cache = c("elasticache")
    counts["ElastiCache::ReplicationGroup"] = len(cache.describe_replication_groups()["ReplicationGroups"])
    counts["ElastiCache::SubnetGroup"] = sum(1 for g in cache.describe_cache_subnet_groups()["CacheSubnetGroups"] if g["CacheSubnetGroupName"] != "default")
    counts["ElastiCache::ParameterGroup"] = sum(
        1 for g in cache.describe_cache_parameter_groups()["CacheParameterGroups"] if not g["CacheParameterGroupName"].startswith("default.")
    )
    kms = c("kms")
    aliases = [a for a in kms.list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")]
    counts["KMS::Alias"] = len(aliases)
    counts["KMS::Key"] = len({a["TargetKeyId"] for a in aliases if a.get("TargetKeyId")})
    counts["SSM::Parameter"] = len(c("ssm").describe_parameters()["Parameters"])
    lam = c("lambda")
    functions = [f["FunctionName"] for f in lam.list_functions()["Functions"]]
    counts["Lambda::Function"] = len(functions)
    counts["Lambda::Permission"] = sum(
        len(json.loads(lam.get_policy(FunctionName=f)["Policy"])["Statement"]) for f in functions if _has(lambda f=f: lam.get_policy(FunctionName=f))
    )
    counts["Events::Rule"] = len(c("events").list_rules()["Rules"])
    cd = c("codedeploy")
    apps = cd.list_applications()["applications"]
    counts["CodeDeploy::Application"] = len(apps)
    counts["CodeDeploy::DeploymentGroup"] = sum(len(cd.list_deployment_groups(applicationName=a)["deploymentGroups"]) for a in apps)
    return counts


def _has(call):
    try:
        call()
        return True
    except Exception:
        return False


def floor_playbook(path, k, endpoint):
    """K tasks of amazon.aws.aws_caller_info on localhost: one module run per managed resource."""
    tasks = [{"name": f"Caller {i}", "amazon.aws.aws_caller_info": {}} for i in range(k)]
    defaults = {"group/amazon.aws.aws": {"endpoint_url": endpoint, "region": REGION, "access_key": "testing", "secret_key": "testing"}}
    path.write_text(yaml.safe_dump([{"name": "Naive floor", "hosts": "localhost", "gather_facts": False, "module_defaults": defaults, "tasks": tasks}]))


def with_services(target, n):
    """A copy of inventories/local with services bench3..benchN added to dito_services."""
    shutil.copytree(ROOT / "inventories" / "local", target)
    hosts = yaml.safe_load((target / "hosts.yml").read_text())
    services = hosts["all"]["children"]["dito_services"]["hosts"]
    for i in range(len(services) + 1, n + 1):
        # Each with its pipeline, as the local inventory's services have (site_repository is set there).
        services[f"bench{i}"] = {"site_service": {"name": f"bench{i}", "pipeline": {"directory": f"bench{i}", "test_commands": ["make test"]}}}
    (target / "hosts.yml").write_text(yaml.safe_dump(hosts))
    return target


def median(runs, key):
    return round(statistics.median(r[key] for r in runs), 2)


def chart(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    first, noop = results["rounds"][0]["converge"]["roles_s"], results["rounds"][0]["noop"]["roles_s"]
    names = sorted(set(first) | set(noop), key=lambda r: first.get(r, 0))
    fig, ax = plt.subplots(figsize=(9, 0.4 * len(names) + 1.5))
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], [first.get(n, 0) for n in names], height=0.4, label="first converge")
    ax.barh([i - 0.2 for i in y], [noop.get(n, 0) for n in names], height=0.4, label="no-op re-run")
    ax.set_yticks(list(y), names)
    ax.set_xlabel("seconds (ansible.posix.profile_roles; hosts run in parallel, so the bars overlap in time)")
    ax.set_title("site.yml on the local emulator: time per role")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--services", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="one round, no N-services run")
    parser.add_argument("--out", default=str(ROOT / ".bench"))
    args = parser.parse_args(argv)
    runs = 1 if args.quick else args.runs
    port = int(os.environ.get("DITO_BENCH_EMULATOR_PORT", "5197"))
    endpoint = f"http://127.0.0.1:{port}"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    log = str(out / "requests.jsonl")
    Path(log).unlink(missing_ok=True)
    env = dict(
        os.environ,
        DITO_EMULATOR_PORT=str(port),
        DITO_EMULATOR_REQUEST_LOG=log,
        ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"),
        ANSIBLE_CALLBACKS_ENABLED="ansible.posix.profile_roles",
        ANSIBLE_NOCOLOR="1",
    )
    os.environ.update(DITO_EMULATOR_REQUEST_LOG=log)
    emulator("stop", port)
    emulator("start", port)
    site = ROOT / "playbooks" / "site.yml"
    results = {"machine": {"cpus": os.cpu_count()}, "rounds": []}
    try:
        for i in range(runs):
            emulator("reset", port)
            converge = play(env, log, site)
            if i == 0:
                results["resources"] = count_resources(endpoint)
            noop = play(env, log, site)
            check = play(env, log, site, "--check")
            results["rounds"].append({"converge": converge, "noop": noop, "check": check})
            print(
                f"round {i + 1}: converge {converge['wall_s']} s, no-op {noop['wall_s']} s (changed={noop['changed']}), --check {check['wall_s']} s", flush=True
            )
        k = sum(results["resources"].values())
        with tempfile.TemporaryDirectory() as tmp:
            floor_path = Path(tmp) / "floor.yml"
            floor_playbook(floor_path, k, endpoint)
            local = Path(tmp) / "localhost.yml"
            local.write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}))
            floors = [play(env, log, floor_path, inventory=local) for _round in range(runs)]
            if not args.quick:
                inventory = with_services(Path(tmp) / "inventory", args.services)
                play(env, log, site, inventory=inventory)
                many = [play(env, log, site, inventory=inventory) for _round in range(runs)]
    finally:
        emulator("stop", port)

    rounds = results["rounds"]
    m = {
        "converge_s": median([r["converge"] for r in rounds], "wall_s"),
        "noop_s": median([r["noop"] for r in rounds], "wall_s"),
        "check_s": median([r["check"] for r in rounds], "wall_s"),
        "floor_s": median(floors, "wall_s"),
        "converge_cpu_s": median([r["converge"] for r in rounds], "cpu_s"),
        "noop_cpu_s": median([r["noop"] for r in rounds], "cpu_s"),
        "noop_requests": median([r["noop"] for r in rounds], "requests"),
        "converge_requests": median([r["converge"] for r in rounds], "requests"),
        "check_requests": median([r["check"] for r in rounds], "requests"),
    }
    ratios = {
        "noop_over_floor": round(m["noop_s"] / m["floor_s"], 2),
        "converge_over_floor": round(m["converge_s"] / m["floor_s"], 2),
        "noop_requests_per_resource": round(m["noop_requests"] / k, 2),
    }
    if not args.quick:
        m[f"noop_{args.services}_services_s"] = median(many, "wall_s")
        ratios[f"services_{args.services}_over_2"] = round(m[f"noop_{args.services}_services_s"] / m["noop_s"], 2)
    results.update(
        managed_resources=k,
        medians=m,
        ratios=ratios,
        floors=floors,
        goal={"noop_over_floor": 0.5, "converge_over_floor": 1.0, "noop_requests_per_resource": 2, "services_10_over_2": 2.5},
    )
    if not args.quick:
        results["many_services"] = many
    (out / "bench.json").write_text(json.dumps(results, indent=2) + "\n")
    charted = chart(results, out / "roles.png")

    print(f"\nsite.yml on the local emulator, {os.cpu_count()} CPUs, median of {runs} round(s); {k} managed resources (K)")
    print(f"(a) first converge      {m['converge_s']:7.1f} s  CPU {m['converge_cpu_s']:6.1f} s  {m['converge_requests']:6.0f} requests")
    print(f"(b) no-op re-run        {m['noop_s']:7.1f} s  CPU {m['noop_cpu_s']:6.1f} s  {m['noop_requests']:6.0f} requests")
    print(f"(c) --check, converged  {m['check_s']:7.1f} s                 {m['check_requests']:6.0f} requests")
    print(f"(d) naive floor, K={k:<4} {m['floor_s']:7.1f} s  (K tasks of amazon.aws.aws_caller_info)")
    if not args.quick:
        print(f"no-op, {args.services} services      {m[f'noop_{args.services}_services_s']:7.1f} s")
    print("\nratio                                measured   goal")
    print(f"(b)/(d)                               {ratios['noop_over_floor']:6.2f}   <= 0.5")
    print(f"(a)/(d)                               {ratios['converge_over_floor']:6.2f}   <= 1.0")
    print(f"requests per resource, no-op          {ratios['noop_requests_per_resource']:6.2f}   <= 2")
    if not args.quick:
        print(f"{args.services} services / 2 services, no-op     {ratios[f'services_{args.services}_over_2']:6.2f}   <= 2.5")
    print(f"\nwritten: {out / 'bench.json'}" + (f", {out / 'roles.png'}" if charted else " (no chart: matplotlib is not installed)"))


if __name__ == "__main__":
    main()
