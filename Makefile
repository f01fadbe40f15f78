# The two commands of the README:
#   make local   set everything up and run playbooks/site.yml on the local AWS emulator
#   make test    set everything up and run every test and check
.PHONY: bench faults local test setup emulator-start emulator-stop emulator-reset teardown check lint unit sanity molecule build lock docs ee

VENV := .venv
ACT := . $(VENV)/bin/activate && export ANSIBLE_CONFIG=$(CURDIR)/ansible.cfg PYTHONPATH=$(CURDIR) \
	HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost &&

local: emulator-start
	$(ACT) ansible-playbook playbooks/site.yml -i inventories/local

test:
	bash tools/test.sh

setup:
	bash tools/setup.sh

emulator-start: setup
	$(ACT) python -m tools.emulator start

emulator-stop:
	$(ACT) python -m tools.emulator stop

emulator-reset:
	$(ACT) python -m tools.emulator reset

# --check on the local stack: the plan, nothing changes.
check: emulator-start
	$(ACT) ansible-playbook playbooks/site.yml -i inventories/local --check --diff

# The local inventory's environment is "local": this target confirms it (other inventories: -e confirm=<environment>).
teardown: emulator-start
	$(ACT) ansible-playbook playbooks/teardown.yml -i inventories/local -e confirm=local

lint: setup
	$(ACT) ruff check . && ruff format --check . && ansible-lint && antsibull-changelog lint && python -m tools.role_docs --check && python -m tools.docsite --check && python -m tools.lint_no_aws_cli

unit: setup
	$(ACT) python -m pytest tests/unit -q

sanity: setup
	bash tools/sanity.sh

molecule: emulator-start
	$(ACT) molecule test --all

build: setup
	$(ACT) ansible-galaxy collection build --force

# The documentation site in dist/docs/, opened in a browser (or its path printed): README "Release checks".
docs: setup
	bash tools/docs.sh open

# The execution environment's build context in dist/ee/ (and the tarball it installs, dist/dito-chat.tar.gz), checked;
# the image: podman build -t dito-chat-ee:1.0.0 dist/ee (README "Execution environment").
ee: setup
	bash tools/check_ee.sh $(CURDIR)

# Regenerate the locks from requirements/test.in (needs a fresh venv; review the diff) and requirements/release.in.
lock:
	rm -rf .lock-venv && $(VENV)/bin/python -m venv .lock-venv && .lock-venv/bin/pip install -q -r requirements/test.in && \
	{ echo "# Lock of requirements/test.in (pip freeze in a fresh venv on Python 3.12). Regenerate with: make lock"; \
	  .lock-venv/bin/pip freeze | sort -f; } > requirements/test.txt && rm -rf .lock-venv
	{ echo "# Lock of requirements/release.in (uv pip compile --python-version 3.12). Regenerate with: make lock"; \
	  $(VENV)/bin/python -m uv pip compile -q --python-version 3.12 --no-annotate --no-header requirements/release.in; \
	} > requirements/release.txt.new && mv requirements/release.txt.new requirements/release.txt

# Wall time of site.yml on a fresh emulator: first converge, no-op re-run, --check.
bench:
	bash tools/bench.sh

# What the collection survives (throttling, 5xx, lost responses, runs killed halfway): see tools/faults.py and the
# README's "Faults survived"; about half an hour on 2 cores, on an emulator of its own (port 5196).
faults: setup
	$(ACT) AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_DEFAULT_REGION=eu-west-1 python -m tools.faults
