"""The app's SCIM 2.0 service provider checked with scim2-tester (PyPI), the RFC 7643/7644
checker: discovery, CRUD, attribute projection and PATCH add/remove/replace on every
attribute the published schemas declare. Passes only with no check in error.

usage: python3 conformance/scim_check.py BASE_URL TOKEN     (BASE_URL ends in /scim/v2)
"""
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server


def main() -> int:
    base, token = sys.argv[1], sys.argv[2]
    client = SyncSCIMClient(Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30))
    results = check_server(client)
    counts = {}
    failed = []
    for result in results:
        counts[result.status.name] = counts.get(result.status.name, 0) + 1
        if result.status == Status.ERROR:
            failed.append(result)
    for result in failed:
        print(f"ERROR {result.title}: {result.reason}")
    print("scim2-tester: " + ", ".join(f"{name.lower()} {count}" for name, count in sorted(counts.items())))
    if not results:
        print("scim2-tester ran no check")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
