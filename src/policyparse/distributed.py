"""Scale-out on Dask: the same per-file work as the local pool, over a Dask bag.

``--dask local`` starts a LocalCluster on this machine; any other value is the
address of a running scheduler (``tcp://host:8786``).  Results stream back in
input order, one partition at a time, so output is byte-identical to the local
pool's.  Needs the optional extra: ``pip install 'policyparse[dask]'``.

    >>> partition_size(10, 4)
    1
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator


def partition_size(n_inputs: int, n_workers: int) -> int:
    """Small partitions keep results streaming and the workers busy."""
    return max(1, min(32, n_inputs // max(1, n_workers * 4)))


@contextmanager
def client_for(address: str, workers: int = 2):
    """A dask.distributed Client for ``address`` ('local' = a LocalCluster of processes)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise RuntimeError("--dask needs the optional extra: pip install 'policyparse[dask]'") from None
    if address == "local":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
        try:
            yield client
        finally:
            client.close()
            cluster.close()
    else:
        client = Client(address)
        try:
            yield client
        finally:
            client.close()


def run(items: list, fn: Callable, address: str = "local", workers: int = 2) -> Iterator:
    """Map ``fn(index, item)`` over ``items`` on Dask; yield results in input order."""
    import dask.bag as db

    with client_for(address, workers) as client:
        n = len(client.scheduler_info().get("workers", {})) or workers
        bag = db.from_sequence(list(enumerate(items)), partition_size=partition_size(len(items), n))
        parts = bag.map(_apply, fn).to_delayed()
        futures = client.compute(parts)
        for fut in futures:  # partitions in order: output order is input order
            yield from fut.result()


def _apply(pair, fn):
    index, item = pair
    return fn(index, item)
