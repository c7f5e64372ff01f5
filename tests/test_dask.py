"""Scale-out on Dask: a LocalCluster of 2 worker processes gives the local pool's bytes."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from policyparse import batch, distributed
from policyparse.inputs import discover

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def test_dask_local_is_byte_identical_to_the_local_pool():
    pytest.importorskip("distributed", reason="the optional 'dask' extra is not installed")
    inputs = discover([str(SAMPLES)])
    job = batch.Job()
    local = [o.text for o in batch.run(inputs, job, workers=2)]
    remote = [o.text for o in distributed.run(inputs, functools.partial(batch.process, job=job), "local", workers=2)]
    assert len(remote) == len(inputs) == 5
    assert remote == local


def test_partitions_keep_results_streaming():
    assert distributed.partition_size(1000, 2) == 32
    assert distributed.partition_size(5, 2) == 1


def test_cli_dask_local_matches_the_local_run(tmp_path):
    pytest.importorskip("distributed", reason="the optional 'dask' extra is not installed")
    import subprocess
    import sys

    exe = str(Path(sys.executable).with_name("policyparse"))
    local = subprocess.run([exe, "extract", str(SAMPLES), "--jsonl", "-q", "--workers", "2"], capture_output=True, timeout=300)
    remote = subprocess.run([exe, "extract", str(SAMPLES), "--jsonl", "-q", "--dask", "local", "--workers", "2"], capture_output=True, timeout=300)
    assert local.returncode == remote.returncode == 0
    assert remote.stdout == local.stdout and remote.stdout.count(b"\n") == 5
