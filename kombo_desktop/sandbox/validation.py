"""Checks of a result-link body the way Kombo's API does them, and its interaction warnings."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit

# Past these sizes Greenhouse (the sandbox's ATS) cuts text off or hides entries.
LABEL_WARNING_LENGTH = 60
ATTRIBUTE_KEY_WARNING_LENGTH = 30
CUSTOM_FIELD_PREFIX_WARNING_LENGTH = 20
ATTRIBUTE_COUNT_WARNING = 10

ORACLE_DOCUMENT_CATEGORIES = (
    "IRC_CANDIDATE_RESUME",
    "IRC_CANDIDATE_COVERLETTER",
    "MISC",
    "IRC_INTERNAL",
)

_TOP_LEVEL_KEYS = ("label", "url", "details", "remote_fields")
_DETAILS_KEYS = ("custom_field_name_prefix", "attributes")
_ATTRIBUTE_KEYS = ("key", "value")
# The ATSs Kombo's public schema gives remote fields for; any other is refused.
_REMOTE_FIELD_ATS = ("icims", "oracle", "talent360", "greenhouse", "workable")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*\Z")


class InputInvalid(Exception):
    """The body breaks a rule; ``message`` names the offending field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _refuse_constant(name: str) -> Any:
    raise InputInvalid(f"The request body is not valid JSON: {name} is not a JSON value.")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """Decode a request body that must be a JSON object."""
    try:
        # NaN and Infinity are Python's extensions, not JSON: a real server refuses them.
        payload = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError as exc:
        raise InputInvalid("The request body must be UTF-8 encoded JSON.") from exc
    except json.JSONDecodeError as exc:
        raise InputInvalid(f"The request body is not valid JSON: {exc.msg}.") from exc
    except ValueError as exc:
        # A number of thousands of digits, which Python refuses to read.
        raise InputInvalid("The request body is not valid JSON: a number is too long.") from exc
    except RecursionError as exc:
        raise InputInvalid("The request body is not valid JSON: it is nested too deep.") from exc
    if not isinstance(payload, dict):
        raise InputInvalid("The request body must be a JSON object.")
    try:
        # Half of a character written as an escape ("\ud800") reads as no text: stored,
        # no answer quoting it could be written, and the client would get none at all.
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputInvalid(
            "The request body is not valid JSON: it holds half of a character "
            "(an unpaired surrogate escape)."
        ) from exc
    return payload


def is_valid_uri(value: str) -> bool:
    """An absolute URI with a scheme; http(s) URIs also need a host and a valid port."""
    if not value or any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return False
    scheme, colon, rest = value.partition(":")
    if not colon or not rest or not _SCHEME.match(scheme):
        return False
    if scheme.lower() in ("http", "https"):
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- raises ValueError for a bad port
        except ValueError:
            return False
        return bool(parts.hostname)
    return True


def validate_result_link(payload: dict[str, Any]) -> list[str]:
    """Check a decoded result-link body; return the interaction warnings for it.

    Raises :class:`InputInvalid` on the first broken rule.
    """
    _reject_unknown(payload, _TOP_LEVEL_KEYS, "")
    label = _required_string(payload, "label", "label")
    if not label.strip():
        raise InputInvalid('"label" must not be empty')
    url = _required_string(payload, "url", "url")
    if not is_valid_uri(url):
        raise InputInvalid('"url" must be a valid URI')
    warnings: list[str] = []
    if len(label) > LABEL_WARNING_LENGTH:
        warnings.append(
            f"The label is {len(label)} characters long; Greenhouse shows at most "
            f"{LABEL_WARNING_LENGTH} characters, so it may be cut off."
        )
    if "details" in payload:
        warnings.extend(_validate_details(payload["details"]))
    if "remote_fields" in payload:
        _validate_remote_fields(payload["remote_fields"])
    return warnings


def _reject_unknown(obj: dict[str, Any], allowed: tuple[str, ...], prefix: str) -> None:
    for key in obj:
        if key not in allowed:
            raise InputInvalid(f'"{prefix}{key}" is not allowed')


def _required_string(obj: dict[str, Any], key: str, name: str) -> str:
    if key not in obj:
        raise InputInvalid(f'"{name}" is required')
    value = obj[key]
    if not isinstance(value, str):
        raise InputInvalid(f'"{name}" must be a string')
    return value


def _object(value: Any, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputInvalid(f'"{name}" must be an object')
    return value


def _optional_string(obj: dict[str, Any], key: str, name: str, *, nullable: bool = False) -> None:
    if key not in obj or (nullable and obj[key] is None):
        return
    if not isinstance(obj[key], str):
        raise InputInvalid(f'"{name}" must be a string' + (" or null" if nullable else ""))


def _validate_details(value: Any) -> list[str]:
    details = _object(value, "details")
    _reject_unknown(details, _DETAILS_KEYS, "details.")
    for key in _DETAILS_KEYS:
        if key not in details:
            raise InputInvalid(f'"details.{key}" is required when "details" is given')
    prefix = _required_string(
        details, "custom_field_name_prefix", "details.custom_field_name_prefix"
    )
    attributes = details["attributes"]
    if not isinstance(attributes, list):
        raise InputInvalid('"details.attributes" must be an array')
    warnings: list[str] = []
    if len(prefix) > CUSTOM_FIELD_PREFIX_WARNING_LENGTH:
        warnings.append(
            f'The custom field name prefix "{prefix}" is longer than '
            f"{CUSTOM_FIELD_PREFIX_WARNING_LENGTH} characters and will be truncated to "
            f'"{prefix[:CUSTOM_FIELD_PREFIX_WARNING_LENGTH]}".'
        )
    for index, item in enumerate(attributes):
        name = f"details.attributes[{index}]"
        attribute = _object(item, name)
        _reject_unknown(attribute, _ATTRIBUTE_KEYS, f"{name}.")
        key = _required_string(attribute, "key", f"{name}.key")
        if not key.strip():
            raise InputInvalid(f'"{name}.key" must not be empty')
        _required_string(attribute, "value", f"{name}.value")
        if len(key) > ATTRIBUTE_KEY_WARNING_LENGTH:
            warnings.append(
                f'The attribute key "{key}" is longer than {ATTRIBUTE_KEY_WARNING_LENGTH} '
                "characters and may be truncated in Greenhouse."
            )
    if len(attributes) > ATTRIBUTE_COUNT_WARNING:
        warnings.append(
            f"{len(attributes)} attributes were given; Greenhouse shows only the first "
            f"{ATTRIBUTE_COUNT_WARNING}, the others will not be visible there."
        )
    return warnings


def _validate_remote_fields(value: Any) -> None:
    remote_fields = _object(value, "remote_fields")
    _reject_unknown(remote_fields, _REMOTE_FIELD_ATS, "remote_fields.")
    if "icims" in remote_fields:
        icims = _object(remote_fields["icims"], "remote_fields.icims")
        _reject_unknown(icims, ("assessment_package_id",), "remote_fields.icims.")
        _optional_string(
            icims, "assessment_package_id", "remote_fields.icims.assessment_package_id"
        )
    if "oracle" in remote_fields:
        _validate_oracle(_object(remote_fields["oracle"], "remote_fields.oracle"))
    if "greenhouse" in remote_fields:
        greenhouse = _object(remote_fields["greenhouse"], "remote_fields.greenhouse")
        _reject_unknown(greenhouse, ("post_headers",), "remote_fields.greenhouse.")
        if "post_headers" in greenhouse:
            name = "remote_fields.greenhouse.post_headers"
            headers = _object(greenhouse["post_headers"], name)
            _reject_unknown(headers, ("On-Behalf-Of",), f"{name}.")
            # Kombo's schema lets this one be null (its default user then acts).
            _optional_string(headers, "On-Behalf-Of", f"{name}.On-Behalf-Of", nullable=True)
    if "talent360" in remote_fields:
        talent360 = _object(remote_fields["talent360"], "remote_fields.talent360")
        _reject_unknown(talent360, ("user_id",), "remote_fields.talent360.")
        # Required by Kombo: every Talent360 note must be attributed to a user.
        _required_string(talent360, "user_id", "remote_fields.talent360.user_id")
    if "workable" in remote_fields:
        workable = _object(remote_fields["workable"], "remote_fields.workable")
        _reject_unknown(workable, ("on_behalf_of_user_remote_id",), "remote_fields.workable.")
        _optional_string(
            workable,
            "on_behalf_of_user_remote_id",
            "remote_fields.workable.on_behalf_of_user_remote_id",
        )


def _validate_oracle(oracle: dict[str, Any]) -> None:
    prefix = "remote_fields.oracle."
    _reject_unknown(
        oracle, ("override_document_category", "multi_post_to_all_current_applications"), prefix
    )
    if "override_document_category" in oracle:
        category = oracle["override_document_category"]
        if category not in ORACLE_DOCUMENT_CATEGORIES:
            raise InputInvalid(
                f'"{prefix}override_document_category" must be one of '
                + ", ".join(ORACLE_DOCUMENT_CATEGORIES)
            )
    if "multi_post_to_all_current_applications" in oracle and not isinstance(
        oracle["multi_post_to_all_current_applications"], bool
    ):
        raise InputInvalid(f'"{prefix}multi_post_to_all_current_applications" must be a boolean')
