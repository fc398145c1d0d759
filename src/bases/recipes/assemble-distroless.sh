#!/bin/bash
# Assembles a distroless-style root filesystem from Debian packages, as distroless itself is
# made: the packages' files unpacked (never installed: no maintainer scripts, no dpkg, no
# shell unless a package is itself one), their control data in /var/lib/dpkg/status.d for
# scanners, a nonroot user, and the CA bundle.
#   assemble-distroless.sh ROOTFS "EXCLUDED PACKAGES" PACKAGE...
set -euo pipefail
rootfs=$1
excluded=" $2 "
shift 2

# Depends and Pre-Depends of one package: the first of each set of alternatives, and the
# first provider of a virtual package.
direct_dependencies() {
  apt-cache depends --important "$1" | awk '
    /^ [ |][A-Za-z-]+: / {
      alternative_follows = ($0 ~ /^ \|/)
      if (skipping) { skipping = alternative_follows; virtual = 0; next }
      name = $2
      if (name ~ /^</) { virtual = 1 } else { print name; virtual = 0 }
      skipping = alternative_follows
      next
    }
    /^    [^ ]/ { if (virtual) { print $1; virtual = 0 } }
  ' | sed 's/:.*$//'
}

declare -A chosen=()
queue=("$@")
while ((${#queue[@]} > 0)); do
  package=${queue[0]}
  queue=("${queue[@]:1}")
  [[ -n ${chosen[$package]:-} || $excluded == *" $package "* ]] && continue
  chosen[$package]=1
  mapfile -t dependencies < <(direct_dependencies "$package")
  queue+=("${dependencies[@]}")
done

workdir=$(mktemp -d)
cd "$workdir"
apt-get -o APT::Sandbox::User=root download "${!chosen[@]}" >/dev/null
mkdir -p "$rootfs/var/lib/dpkg/status.d"
# base-files first: on merged-/usr suites it creates the /bin, /lib… links the others unpack through.
for deb in $(ls base-files_*.deb 2>/dev/null) $(ls *.deb | grep -v '^base-files_'); do
  name=$(dpkg-deb -f "$deb" Package)
  dpkg-deb -x "$deb" "$rootfs"
  dpkg-deb -f "$deb" > "$rootfs/var/lib/dpkg/status.d/$name"
  echo "$name $(dpkg-deb -f "$deb" Version)"
done
rm -rf "$workdir"

# Docs go, as in the distroless images; licences stay.
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
rm -rf "$rootfs/usr/share/man" "$rootfs/usr/share/info" "$rootfs/usr/share/lintian"

mkdir -p "$rootfs/etc/ssl/certs" "$rootfs/home/nonroot" "$rootfs/root" "$rootfs/tmp"
cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
chmod 1777 "$rootfs/tmp"
chown 65532:65532 "$rootfs/home/nonroot"
cat > "$rootfs/etc/passwd" <<'PASSWD'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
PASSWD
cat > "$rootfs/etc/group" <<'GROUP'
root:x:0:
nobody:x:65534:
tty:x:5:
staff:x:50:
nonroot:x:65532:
GROUP
