"""module_utils/servicediscovery.py: DNS records compared in a stable form."""

from ansible_collections.dito.chat.plugins.module_utils import servicediscovery as sd


def test_dns_records_normalised():
    assert sd.dns_records_normalised([{"Type": "SRV", "TTL": "10"}, {"Type": "A", "TTL": 60}]) == [{"Type": "A", "TTL": 60}, {"Type": "SRV", "TTL": 10}]
    assert sd.dns_records_normalised(None) == []
