"""Pure helpers of plugins/module_utils/codeconnections.py."""

from ansible_collections.dito.chat.plugins.module_utils import codeconnections as cc

ID = "6a1b3c5e-0f4d-4c0b-9b1e-3f1d2a4b5c6d"


def test_both_arn_forms_parse_and_others_do_not():
    for service in ("codeconnections", "codestar-connections"):
        assert cc.parse_arn(f"arn:aws:{service}:eu-west-1:123456789012:connection/{ID}") == {
            "partition": "aws",
            "service": service,
            "region": "eu-west-1",
            "account": "123456789012",
            "id": ID,
        }
    for bad in (None, "", "arn:aws:codeconnections:eu-west-1:123456789012:host/x", f"arn:aws:codeconnections:eu-west-1:1234:connection/{ID}"):
        assert cc.parse_arn(bad) is None


def test_console_url_is_the_connections_settings_page_of_its_partition():
    assert cc.console_url(f"arn:aws:codestar-connections:eu-west-1:123456789012:connection/{ID}") == (
        f"https://eu-west-1.console.aws.amazon.com/codesuite/settings/123456789012/eu-west-1/connections/{ID}"
    )
    assert cc.console_url(f"arn:aws-cn:codeconnections:cn-north-1:123456789012:connection/{ID}").startswith("https://cn-north-1.console.amazonaws.cn/")
    assert cc.console_url(None) is None


def test_pending_warning_only_when_not_available():
    arn = f"arn:aws:codeconnections:eu-west-1:123456789012:connection/{ID}"
    connection = cc.summary({"ConnectionName": "gh", "ConnectionArn": arn, "ConnectionStatus": "ERROR", "ProviderType": "GitHub"}, {})
    assert cc.pending_warning(connection) == (
        f"The connection gh ({arn}) is ERROR: complete the handshake at {cc.console_url(arn)}; pipelines that use it fail at their Source stage until then"
    )
    assert cc.pending_warning(dict(connection, connection_status="AVAILABLE")) is None
    planned = cc.summary({"ConnectionName": "gh", "ConnectionStatus": "PENDING"}, {})
    assert planned["connection_arn"] is None and "is PENDING" in cc.pending_warning(planned)


def test_tags_round_trip():
    assert cc.tags_dict(cc.tags_list({"a": "1", "b": ""})) == {"a": "1", "b": ""}
    assert cc.tags_list(None) == [] and cc.tags_dict(None) == {}
