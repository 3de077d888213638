"""Entry point of a query worker process:
``python -m treatykg.engine._worker READ_FD WRITE_FD [MEMORY_BYTES [ALLOW_NETWORK]]``.

Kept apart from :mod:`treatykg.engine.pool` so that the objects a worker sends back are pickled as
``treatykg.engine.pool.*`` (not ``__main__.*``) and unpickle in the parent.

The sandbox (memory limit, and a network namespace of its own unless ALLOW_NETWORK is 1) is
applied first, before :mod:`treatykg.engine.pool` and pyoxigraph are imported: the process is still
single-threaded then, which ``unshare`` needs, and nothing a visitor sent has been read yet.
"""

import sys

if __name__ == "__main__":
    from treatykg.util import sandbox

    memory = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    allow_network = len(sys.argv) > 4 and sys.argv[4] == "1"
    report = sandbox.apply(memory_bytes=memory or None, cpu_seconds=None, network=allow_network)

    from treatykg.engine.worker import worker_main

    worker_main(int(sys.argv[1]), int(sys.argv[2]), report)
