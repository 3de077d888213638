"""Real SPARQL engines for the cross-engine tests: OpenLink Virtuoso 7 from Debian's
``virtuoso-opensource`` package, started on free 127.0.0.1 ports with its own database directory
and its own ``virtuoso.ini`` (small buffers: the test database stays under ~150 MB of memory),
loaded with the exported dataset, and stopped afterwards; and Apache Jena from Debian's
``libapache-jena-java`` (ARQ on a TDB2 database, see the section at the end). No mocks.

Installing: when ``virtuoso-t`` is missing and the tests run as root on a machine with
``apt-get``, :func:`ensure_virtuoso` installs ``virtuoso-opensource`` (non-interactively, without
starting Debian's own service). Anywhere else it raises :class:`UnavailableError`, whose message the
fixtures turn into a skip that says why (the only allowed reason to skip: the package cannot be
had).

Union default graph: Virtuoso needs **no setting**. A query that names no ``default-graph-uri``
(and no ``FROM``) sees every graph of the quad store as its default graph, which is what the canned
queries expect. Virtuoso's own system graphs (``virtrdf#``, ``ldp#``, ``localuriqaserver``) are
in that union too; the canned queries only match our vocabulary, so they never see them.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import servers

PACKAGE = "virtuoso-opensource"
SERVER = "virtuoso-t"
ISQL = "isql-vt"
# The DBA account of a fresh Debian database; the test server listens on loopback only.
DBA_USER = "dba"
DBA_PASSWORD = "dba"
INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
; bounded memory: 8 KB pages; 10000 buffers = ~80 MB (Virtuoso's guide: ~2/3 of the free memory
; for a production store, 1 GB of buffers per ~10 million quads)
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ThreadsPerQuery = 2
MaxQueryMem = 200M

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
; Debian's default of 10000 rows would silently truncate large answers
ResultSetMaxRows = 1000000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 120
"""


def row_key(row: dict) -> tuple:
    """A result row as a comparable key, for comparing engines. A value that is a space-separated
    list of IRIs (a GROUP_CONCAT, as in document-claims) is compared as a sorted list: SPARQL 1.1
    leaves the order of the values inside a GROUP_CONCAT to the engine (pyoxigraph's is not
    Virtuoso's string order)."""
    pairs = ((name, str(value)) for name, value in row.items())
    return tuple(
        (name, " ".join(sorted(value.split())) if value.startswith("http") and " " in value else value)
        for name, value in sorted(pairs)
    )


class UnavailableError(RuntimeError):
    """The engine cannot be had here; the message says why (used as the skip reason)."""


def ensure_virtuoso() -> str:
    """Path of ``virtuoso-t``, installing Debian's package first if needed and possible."""
    found = shutil.which(SERVER)
    if found and shutil.which(ISQL):
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise UnavailableError(
            f"Virtuoso is not installed and cannot be installed here (needs root and apt-get): "
            f"install Debian's '{PACKAGE}' package to run the Virtuoso tests"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", PACKAGE]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:  # maybe the package lists are missing: refresh once and retry
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    found = shutil.which(SERVER)
    if result.returncode != 0 or not found:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise UnavailableError(f"apt-get could not install '{PACKAGE}': {last[0]}")
    return found


@dataclass
class Virtuoso:
    """A running Virtuoso: ``sparql`` is its SPARQL endpoint, ``crud_auth`` its authenticated Graph
    Store endpoint (Digest), ``directory`` its database directory (also its allowed load directory)."""

    base: str
    sql_port: int
    directory: Path
    pid: int = 0

    @property
    def sparql(self) -> str:
        return self.base + "/sparql"

    @property
    def crud_auth(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    def isql(self, statements: str, timeout: float = 600) -> str:
        """Run SQL statements through ``isql-vt`` as the DBA; raises on an SQL error."""
        command = [ISQL, f"127.0.0.1:{self.sql_port}", DBA_USER, DBA_PASSWORD, f"exec={statements}"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        output = result.stdout + result.stderr
        if result.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed: {output.strip()[-500:]}")
        return output

    def bulk_load(self, nquads: Path) -> None:
        """Virtuoso's bulk loader on an ``.nq`` file (quads keep their graphs), then a checkpoint.
        The file is linked into the database directory, the only directory the server may read."""
        target = self.directory / "load" / nquads.name
        target.parent.mkdir(exist_ok=True)
        if target.exists():
            target.unlink()
        shutil.copyfile(nquads, target)
        self.isql(
            f"ld_dir('{target.parent}', '{target.name}', 'urn:treatykg:unused'); "
            "rdf_loader_run(); checkpoint; "
            f"DELETE FROM DB.DBA.load_list WHERE ll_file = '{target}';"
        )
        target.unlink()

    def select(self, query: str) -> list[dict]:
        """A SELECT over form-encoded POST (the request form Virtuoso 7.2 answers)."""
        import json

        body = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(
            self.sparql, data=body, headers={"Accept": "application/sparql-results+json"}, method="POST"
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())["results"]["bindings"]


@contextlib.contextmanager
def virtuoso(buffers: int = 10000, dirty: int = 6000) -> Iterator[Virtuoso]:
    """An empty Virtuoso with its own database in a temporary directory; stopped and removed after."""
    binary = ensure_virtuoso()
    directory = Path(tempfile.mkdtemp(prefix="treatykg-virtuoso-"))
    try:
        http_port, sql_port = servers.free_port(), servers.free_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(INI.format(dir=directory, sql_port=sql_port, http_port=http_port, buffers=buffers, dirty=dirty))
        base = f"http://127.0.0.1:{http_port}"
        command = [binary, "+foreground", "+configfile", str(ini)]
        probe = base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
        with servers.running(command, probe, timeout=120, cwd=directory, log=directory / "stderr.log") as process:
            yield Virtuoso(base, sql_port, directory, process.pid)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


# --- Apache Jena (ARQ on a TDB2 database) ---------------------------------------------------------
#
# Debian ships Jena 4.5 as jars only (``libapache-jena-java``; there is no Fuseki package), so the
# tests run Jena's own command-line tools (``tdb2.tdbloader``, ``tdb2.tdbquery``) from those jars,
# one JVM per query, on a TDB2 database in a temporary directory; there is no server and no port.
#
# The "internal error in its XSD datatypes" at start-up is a packaging slip, not a Jena bug:
# Debian's build moved Jena's copy of Xerces from ``org.apache.jena.ext.xerces`` to ``xerces``
# but left its message bundles under ``org/apache/jena/ext/xerces/``. Xerces' regular-expression
# parser then cannot load ``xerces.impl.xpath.regex.message``, every ``pattern`` facet of the
# built-in XSD types fails, and ``XSSimpleTypeDecl.applyFacets1`` throws "internal error". The
# fix copies those ``.properties`` files, from the same Debian jar, to the package path the
# classes ask for, in a directory put first on the class path. Nothing is downloaded.

JENA_PACKAGE = "libapache-jena-java"
JENA_CORE = Path("/usr/share/java/jena-core.jar")
JAVA_PACKAGE = "default-jre-headless"
_MOVED_BUNDLES = "org/apache/jena/ext/xerces/"
# Logging jars left off the class path: slf4j bindings need a logging back-end (slf4j-log4j12 asks
# for log4j 1, which is not there; with log4j-over-slf4j the JVM stops at start-up). Without a
# binding slf4j logs nothing, and Jena logs nothing the tests need.
_LOGGING = (
    "log4j",
    "slf4j-jdk",
    "slf4j-simple",
    "slf4j-nop",
    "slf4j-jcl",
    "slf4j-ext",
    "slf4j-migrator",
    "jcl-over",
    "jul-to",
)


def _apt_install(*packages: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:  # maybe the package lists are missing: refresh once and retry
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    return result


def ensure_jena() -> str:
    """Jena's class path (its Debian jars and those of the packages it depends on), installing
    Debian's package (and a Java runtime) first if needed and possible."""
    if not (JENA_CORE.exists() and shutil.which("java")):
        if os.geteuid() != 0 or not shutil.which("apt-get"):
            raise UnavailableError(
                f"Jena is not installed and cannot be installed here (needs root and apt-get): "
                f"install Debian's '{JENA_PACKAGE}' package (and a Java runtime) to run the Jena tests"
            )
        result = _apt_install(JENA_PACKAGE, *(() if shutil.which("java") else (JAVA_PACKAGE,)))
        if result.returncode != 0 or not JENA_CORE.exists() or not shutil.which("java"):
            last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
            raise UnavailableError(f"apt-get could not install '{JENA_PACKAGE}': {last[0]}")
    return ":".join(str(jar) for jar in _package_jars(JENA_PACKAGE))


def _package_jars(package: str) -> list[Path]:
    """The unversioned jars in /usr/share/java of ``package`` and every package it depends on."""
    seen: set[str] = set()
    todo = [package]
    jars: set[Path] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        query = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", name], capture_output=True, text=True)
        for alternatives in query.stdout.split(","):
            dependency = alternatives.split("|")[0].split("(")[0].split(":")[0].strip()
            if dependency.endswith("-java"):
                todo.append(dependency)
        files = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True).stdout.split()
        for file in files:
            path = Path(file)
            if path.parent == Path("/usr/share/java") and path.suffix == ".jar":
                if re.search(r"-[0-9]+(\.[0-9]+)+$", path.stem):
                    continue  # the versioned copy of a jar also listed without its version
                if not any(word in path.name for word in _LOGGING):
                    jars.add(path)
    return sorted(jars)


def _relocated_bundles(directory: Path) -> Path:
    """A class-path directory holding jena-core's Xerces message bundles at ``xerces/...``, where
    Debian's relocated classes look for them (see above)."""
    import zipfile

    target = directory / "bundles"
    with zipfile.ZipFile(JENA_CORE) as jar:
        for name in jar.namelist():
            if name.startswith(_MOVED_BUNDLES) and name.endswith(".properties"):
                out = target / "xerces" / name[len(_MOVED_BUNDLES) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(jar.read(name))
    return target


@dataclass
class Jena:
    """Jena's ARQ over a TDB2 database in ``directory``; the union of the named graphs is the
    default graph (``tdb:unionDefaultGraph``), as the canned queries expect."""

    classpath: str
    directory: Path

    def _java(self, *arguments: str, timeout: float = 300) -> str:
        command = ["java", "-Xmx512m", "-cp", self.classpath, *arguments]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.directory)
        if result.returncode != 0:
            raise RuntimeError(f"{arguments[0]} failed: {result.stderr.strip()[-800:]}")
        return result.stdout

    def load(self, nquads: Path) -> None:
        self._java("tdb2.tdbloader", "--loc", str(self.directory / "tdb2"), str(nquads))

    def select(self, query: str) -> tuple[list[str], list[dict[str, str]]]:
        """The variables and rows (each value's lexical form) of a SELECT, in Jena's order."""
        import json

        file = self.directory / "query.rq"
        file.write_text(query, encoding="utf-8")
        output = self._java(
            "tdb2.tdbquery",
            "--loc",
            str(self.directory / "tdb2"),
            "--set",
            "tdb:unionDefaultGraph=true",
            "--results",
            "json",
            "--query",
            str(file),
        )
        answer = json.loads(output)
        rows = [{name: cell["value"] for name, cell in binding.items()} for binding in answer["results"]["bindings"]]
        return answer["head"]["vars"], rows


@contextlib.contextmanager
def jena(nquads: Path) -> Iterator[Jena]:
    """Jena with ``nquads`` loaded into a TDB2 database in a temporary directory, removed after."""
    classpath = ensure_jena()
    directory = Path(tempfile.mkdtemp(prefix="treatykg-jena-"))
    try:
        engine = Jena(f"{_relocated_bundles(directory)}:{classpath}", directory)
        engine.load(nquads)
        yield engine
    finally:
        shutil.rmtree(directory, ignore_errors=True)
