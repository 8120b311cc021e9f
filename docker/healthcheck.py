"""A container's HTTP healthcheck without curl (the slim image has none): exit 0 on a 200 from
the URL given (default: readiness on this container), 1 otherwise. Prints the answer."""

import sys
import urllib.error
import urllib.request

url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000/health/ready/"
try:
    with urllib.request.urlopen(url, timeout=5) as response:
        print(response.read().decode()[:2000])
        sys.exit(0 if response.status == 200 else 1)
except urllib.error.HTTPError as exc:
    print(exc.read().decode()[:2000])
except OSError as exc:
    print(f"unreachable: {exc}")
sys.exit(1)
