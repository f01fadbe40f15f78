"""Push an image manifest to an ECR repository of the emulator (what `docker push` does last), so that deploy has a
tag to find: python push_image.py <endpoint> <repository> <tag> (credentials from the environment)."""

import hashlib
import json
import sys

import boto3

endpoint, repository, tag = sys.argv[1:4]
ecr = boto3.client("ecr", region_name="eu-west-1", endpoint_url=endpoint)
config = "sha256:" + hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()
manifest = {
    "schemaVersion": 2,
    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
    "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1024, "digest": config},
    "layers": [],
}
try:
    ecr.describe_images(repositoryName=repository, imageIds=[{"imageTag": tag}])
    print("present")
except ecr.exceptions.ImageNotFoundException:
    ecr.put_image(repositoryName=repository, imageManifest=json.dumps(manifest), imageTag=tag)
    print("pushed")
