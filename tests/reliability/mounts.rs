//! Small file systems for storage faults (root only): a size-limited tmpfs to fill up, and an
//! ext4 image on a loop device whose files can be made immutable (unwritable even through
//! descriptors already open, as on a file system turned read-only). Unmounted when dropped.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Mount {
    pub dir: PathBuf,
    image: Option<PathBuf>,
}

fn run(cmd: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{cmd} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Whether this process is root (mounting needs it); the fault tests skip otherwise.
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Mount {
    pub fn tmpfs(dir: &Path, size: &str) -> Result<Mount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        run(
            "mount",
            &[
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size}"),
                "tmpfs",
                &dir.display().to_string(),
            ],
        )?;
        Ok(Mount {
            dir: dir.to_path_buf(),
            image: None,
        })
    }

    pub fn ext4(dir: &Path, megabytes: u64) -> Result<Mount, String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let image = dir.with_extension("img");
        std::fs::File::create(&image)
            .and_then(|f| f.set_len(megabytes << 20))
            .map_err(|e| e.to_string())?;
        let img = image.display().to_string();
        let made = run("mkfs.ext4", &["-q", "-F", &img])
            .and_then(|_| run("mount", &["-o", "loop", &img, &dir.display().to_string()]));
        if let Err(e) = made {
            let _ = std::fs::remove_file(&image);
            return Err(e);
        }
        Ok(Mount {
            dir: dir.to_path_buf(),
            image: Some(image),
        })
    }

    /// `chattr +i` (true) or `-i` (false) on these files of the mount.
    pub fn immutable(&self, names: &[&str], on: bool) {
        for n in names {
            let p = self.dir.join(n);
            if p.exists() {
                run(
                    "chattr",
                    &[if on { "+i" } else { "-i" }, &p.display().to_string()],
                )
                .expect("chattr");
            }
        }
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        // Undo any immutable flag first, or the files could not be removed later.
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let _ = run("chattr", &["-i", &e.path().display().to_string()]);
            }
        }
        if run("umount", &[&self.dir.display().to_string()]).is_err() {
            let _ = run("umount", &["-l", &self.dir.display().to_string()]);
        }
        if let Some(img) = &self.image {
            let _ = std::fs::remove_file(img);
        }
    }
}
