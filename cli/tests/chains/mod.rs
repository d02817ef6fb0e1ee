//! Certificate chains made for the tests with the `openssl` command (`openssl ca`, which sets
//! any validity dates and signs with SHA-1 or with RSA-1024 keys, as no Rust generator here
//! does). Each chain lives in a directory of its own under the system's temporary directory.
#![allow(dead_code)] // each test binary uses a different part

/// Returns from the test, having said why, when the openssl command is not installed.
macro_rules! need_openssl {
    () => {
        if !$crate::chains::openssl_available() {
            return;
        }
    };
}

pub mod report;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The Intel AMT provisioning OID.
pub const AMT_OID: &str = "2.16.840.1.113741.1.2.3";
/// The OU that marks a leaf for AMT without the OID.
pub const AMT_OU: &str = "Intel(R) Client Setup Certificate";

/// Whether the `openssl` command runs here; when not, says so once per test, which then passes
/// without checking anything.
pub fn openssl_available() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: the openssl command is not installed (apt-get install openssl)");
    }
    found
}

/// A certificate to make.
#[derive(Clone, Debug)]
pub struct Spec {
    pub cn: String,
    pub o: Option<String>,
    pub ou: Option<String>,
    /// `rsa:BITS` or `ec`.
    pub key: String,
    /// The signature's digest: sha256, sha1…
    pub md: String,
    /// Validity, `YYYYMMDDHHMMSSZ` [default: from yesterday, for ten years].
    pub start: Option<String>,
    pub end: Option<String>,
    /// The extensions, `openssl x509v3_config` lines.
    pub ext: String,
}

impl Spec {
    pub fn ca(cn: &str) -> Spec {
        Spec {
            cn: cn.into(),
            o: None,
            ou: None,
            key: "rsa:2048".into(),
            md: "sha256".into(),
            start: None,
            end: None,
            ext: "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n".into(),
        }
    }

    /// A leaf as Intel asks for it: serverAuth and the AMT OID, the name also in the SAN.
    pub fn leaf(cn: &str) -> Spec {
        Spec {
            ext: format!(
                "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,{AMT_OID}\nsubjectAltName=DNS:{cn}\n"
            ),
            ..Spec::ca(cn)
        }
    }
}

/// A certificate made: its files.
#[derive(Clone, Debug)]
pub struct Issued {
    pub cert: PathBuf,
    pub key: PathBuf,
    pub csr: PathBuf,
}

impl Issued {
    pub fn pem(&self) -> String {
        std::fs::read_to_string(&self.cert).unwrap()
    }
    pub fn der(&self) -> Vec<u8> {
        pem::parse(self.pem()).unwrap().into_contents()
    }
}

/// A directory of certificates made with `openssl ca`.
pub struct Pki {
    pub dir: PathBuf,
    count: usize,
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

impl Pki {
    pub fn new() -> Pki {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("amt-hello-activation-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("index.txt"), "").unwrap();
        std::fs::write(dir.join("serial"), "1000\n").unwrap();
        let config = format!(
            "[ca]\ndefault_ca = ca_default\n[ca_default]\ndatabase = {d}/index.txt\nnew_certs_dir = {d}\nserial = {d}/serial\ndefault_md = sha256\npolicy = any\nunique_subject = no\ncopy_extensions = none\n[any]\ncommonName = supplied\norganizationName = optional\norganizationalUnitName = optional\n[req]\ndistinguished_name = dn\n[dn]\n",
            d = dir.display()
        );
        std::fs::write(dir.join("ca.cnf"), config).unwrap();
        Pki { dir, count: 0 }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Makes the certificate of `spec`, signed by `issuer` (`None`: self-signed).
    pub fn issue(&mut self, spec: &Spec, issuer: Option<&Issued>) -> Issued {
        self.count += 1;
        let base = self.dir.join(format!("c{}", self.count));
        let key = base.with_extension("key");
        let csr = base.with_extension("csr");
        let cert = base.with_extension("pem");
        let ext = base.with_extension("ext");
        let keygen: Vec<String> = match spec.key.split_once(':') {
            Some(("rsa", bits)) => vec![
                "-algorithm".into(),
                "RSA".into(),
                "-pkeyopt".into(),
                format!("rsa_keygen_bits:{bits}"),
            ],
            _ => vec![
                "-algorithm".into(),
                "EC".into(),
                "-pkeyopt".into(),
                "ec_paramgen_curve:P-256".into(),
            ],
        };
        openssl(
            &[
                &["genpkey"][..],
                &keygen.iter().map(String::as_str).collect::<Vec<_>>(),
                &["-out", s(&key)],
            ]
            .concat(),
        );
        let mut subject = String::new();
        if let Some(o) = &spec.o {
            subject += &format!("/O={o}");
        }
        if let Some(ou) = &spec.ou {
            subject += &format!("/OU={ou}");
        }
        subject += &format!("/CN={}", spec.cn);
        let config = self.path("ca.cnf");
        openssl(&[
            "req",
            "-new",
            "-config",
            s(&config),
            "-key",
            s(&key),
            "-subj",
            &subject,
            "-out",
            s(&csr),
        ]);
        std::fs::write(&ext, &spec.ext).unwrap();
        let start = spec.start.clone().unwrap_or_else(|| days_from_now(-1));
        let end = spec.end.clone().unwrap_or_else(|| days_from_now(3650));
        let mut args = vec![
            "ca",
            "-batch",
            "-notext",
            "-preserveDN",
            "-config",
            s(&config),
            "-in",
            s(&csr),
            "-out",
            s(&cert),
            "-md",
            &spec.md,
            "-extfile",
            s(&ext),
            "-startdate",
            &start,
            "-enddate",
            &end,
        ];
        match issuer {
            Some(issuer) => args.extend(["-cert", s(&issuer.cert), "-keyfile", s(&issuer.key)]),
            None => args.extend(["-selfsign", "-keyfile", s(&key)]),
        }
        openssl(&args);
        Issued { cert, key, csr }
    }

    /// Writes `certs` (in this order) as one PEM file named `name`, with `key` after them.
    pub fn pem_file(&self, name: &str, certs: &[&Issued], key: Option<&Path>) -> PathBuf {
        let mut text: String = certs.iter().map(|c| c.pem()).collect();
        if let Some(key) = key {
            text += &std::fs::read_to_string(key).unwrap();
        }
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The standard chain: root, intermediate, leaf `amt.example.com`; `change` adjusts the specs
/// (root, intermediate, leaf) first. Returns the certificates leaf first.
pub fn chain(pki: &mut Pki, change: impl FnOnce(&mut Spec, &mut Spec, &mut Spec)) -> Vec<Issued> {
    let (mut root, mut ca, mut leaf) = (
        Spec::ca("Test Root"),
        Spec::ca("Test Intermediate"),
        Spec::leaf("amt.example.com"),
    );
    change(&mut root, &mut ca, &mut leaf);
    let root = pki.issue(&root, None);
    let ca = pki.issue(&ca, Some(&root));
    let leaf = pki.issue(&leaf, Some(&ca));
    vec![leaf, ca, root]
}

/// `YYYYMMDDHHMMSSZ`, `days` from now.
pub fn days_from_now(days: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::days(days);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

pub fn openssl(args: &[&str]) {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}
