//! A private PostgreSQL cluster for the differential test: its own data directory, reached
//! only through a Unix socket in that directory (no TCP port to collide with anything), with
//! the settings custlake's sessions start with (UTC, ISO dates, the C collation). It is
//! stopped when dropped, also when the test fails.
//!
//! PostgreSQL refuses to run as root, so as root every command runs as the `postgres` user
//! that Debian's package creates (`runuser -u postgres`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{existing, required_env};

/// The port number only names the socket file (`.s.PGSQL.<port>`); nothing listens on TCP.
const PORT: u16 = 5432;

pub struct Cluster {
    bindir: PathBuf,
    /// Holds the data directory and the socket; removed after the cluster stops.
    root: tempfile::TempDir,
}

impl Cluster {
    /// Creates and starts a cluster with the server of `CUSTLAKE_PG_BINDIR`.
    pub fn start() -> Cluster {
        let bindir = existing(
            PathBuf::from(required_env(
                "CUSTLAKE_PG_BINDIR",
                "the bin directory of a PostgreSQL server (initdb, pg_ctl, postgres)",
            )),
            "PostgreSQL's bin directory",
        );
        let root = tempfile::Builder::new()
            .prefix("custlake-pgdiff-")
            .tempdir()
            .expect("a scratch directory for PostgreSQL");
        if running_as_root() {
            let owner = postgres_user_ids();
            std::os::unix::fs::chown(root.path(), Some(owner.0), Some(owner.1))
                .expect("give the scratch directory to the postgres user");
        }
        let cluster = Cluster { bindir, root };
        let data = cluster.data_dir();
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-A".as_ref(),
                "trust".as_ref(),
                "-U".as_ref(),
                "postgres".as_ref(),
                "--locale=C".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        // Appended to the file initdb wrote, which keeps its owner.
        let settings = format!(
            "\nlisten_addresses = ''\nunix_socket_directories = '{}'\nport = {PORT}\n\
             fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n\
             timezone = 'UTC'\ndatestyle = 'ISO, MDY'\nintervalstyle = 'postgres'\n\
             max_connections = 10\nshared_buffers = '128MB'\nwork_mem = '64MB'\n",
            cluster.root.path().display()
        );
        append(&data.join("postgresql.conf"), &settings);
        let log = cluster.root.path().join("server.log");
        cluster.run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-l".as_ref(),
                log.as_os_str(),
                "-w".as_ref(),
                "start".as_ref(),
            ],
        );
        cluster
    }

    fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// A connection as the superuser to database `postgres`.
    pub async fn connect(&self) -> tokio_postgres::Client {
        let (client, connection) = tokio_postgres::Config::new()
            .host_path(self.root.path())
            .port(PORT)
            .user("postgres")
            .dbname("postgres")
            .connect(tokio_postgres::NoTls)
            .await
            .expect("connect to the private PostgreSQL");
        tokio::spawn(connection);
        client
    }

    /// One of the server's programs, to be run as `postgres` when the test runs as root.
    fn command(&self, program: &str) -> Command {
        let path = self.bindir.join(program);
        if running_as_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    /// Runs one of the server's programs, failing with its output.
    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        assert!(
            output.status.success(),
            "{program} failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data_dir();
        // Immediate: nothing in it needs to survive.
        let _ = self
            .command("pg_ctl")
            .args(["-D".as_ref(), data.as_os_str()])
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { libc::geteuid() == 0 }
}

/// The uid and gid of the `postgres` user (Debian's package creates it).
fn postgres_user_ids() -> (u32, u32) {
    let id = |flag: &str| -> u32 {
        let output = Command::new("id")
            .args([flag, "postgres"])
            .output()
            .expect("run id");
        assert!(
            output.status.success(),
            "there is no postgres user to run PostgreSQL as (tests/run.sh installs the \
             postgresql package, which creates it)"
        );
        String::from_utf8_lossy(&output.stdout)
            .trim()
            .parse()
            .expect("a numeric id")
    };
    (id("-u"), id("-g"))
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    file.write_all(text.as_bytes())
        .unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}
