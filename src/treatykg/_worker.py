"""Entry point of a query worker process: ``python -m treatykg._worker READ_FD WRITE_FD``.

Kept apart from :mod:`treatykg.pool` so that the objects a worker sends back are pickled as
``treatykg.pool.*`` (not ``__main__.*``) and unpickle in the parent.
"""

import sys

from treatykg.pool import worker_main

if __name__ == "__main__":
    worker_main(int(sys.argv[1]), int(sys.argv[2]))
