"""What each operation of the API may answer, and when a call to it may be repeated.

Do not edit: ``make generate`` renders this module from each operation's ``x-medux-outcomes`` and
idempotency in openapi.yaml (medux_contract/generation/client_extras.py). Keys are the endpoint
module names (``api/<tag>/<name>.py``); each endpoint module hands its rules to the retry loop and to
``exceptions.raise_for_outcome``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .rules import OperationRules

OPERATIONS: Mapping[str, OperationRules] = {
    # createAvatarByImage (POST): not idempotent, may bill
    "create_avatar_by_image": OperationRules(
        operation_id="createAvatarByImage",
        idempotent=False,
        codes=frozenset({0, 12, 1410, 1409, 1401, 1406, 1402, 1404, 1405, 13, 16, 99}),
        retry_codes=frozenset({16}),
        billable_codes=frozenset({0, 1404, 1405, 99}),
        carries=("asset",),
    ),
    # listAvatars (GET): idempotent, never bills
    "list_avatars": OperationRules(
        operation_id="listAvatars",
        idempotent=True,
        codes=frozenset({0, 12, 13, 99}),
        retry_codes=frozenset({99}),
        billable_codes=frozenset(),
        carries=("items",),
    ),
}

__all__ = ["OPERATIONS"]
