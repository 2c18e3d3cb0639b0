#!/usr/bin/env bash
# The operator's container image, built with no registry and no container engine, the way
# distroless images are made: from distribution packages. `./mvnw -Pimage package` runs it after
# the Quarkus package (README, "Container image"):
#
#   image.sh VERSION JAVA_HOME TARGET_DIR SBOM
#
# 1. base: a glibc root file system from Debian packages, fetched by mmdebstrap from this machine's
#    own apt sources; no shell, no package manager.
# 2. runtime: a jlink of the build's JDK (JAVA_HOME) with the modules the operator uses, and the
#    JDK's own class-data archive (--generate-cds-archive).
# 3. the Quarkus application in /deployments, owned by 185 and group 0, readable by the group (an
#    arbitrary user id in group 0 runs it, as OpenShift's restricted SCC does), and the AppCDS
#    archive of the classes it loads as it starts, made by the image's own JVM in the image's root.
# 4. an OCI archive TARGET_DIR/presign-operator-VERSION-oci.tar (four layers: base, runtime,
#    libraries, application) with its sha256, the Debian package list and the SBOM beside it and
#    inside the image, loaded into the local podman as localhost/presign-operator:VERSION when
#    podman is installed.
#
# Needs mmdebstrap (root, or user namespaces with subuids), jlink, GNU tar, gzip, sha256sum and
# unshare (util-linux).
set -euo pipefail

# The packages of the base, with their dependencies. ca-certificates is not among them: the JVM
# trusts only its own store (lib/security/cacerts of the runtime), and the package's bundle is made
# by update-ca-certificates, a shell script.
readonly BASE_PACKAGES=base-files,netbase,tzdata,libc6,libgcc-s1,libstdc++6,zlib1g
# Dependencies that only the packages' maintainer scripts use (tzdata's debconf questions,
# base-files' awk); without a shell nothing can run them, so their files are left out.
readonly SCRIPT_ONLY_PACKAGES="debconf mawk"
# The JDK modules the operator needs. jdeps does not see jdk.zipfs, which Quarkus' class loader
# opens quarkus-run.jar with (without it the JVM exits 1 and prints nothing); jdk.crypto.ec serves
# TLS with elliptic curves (the API server's, S3's); jdk.unsupported is sun.misc.Unsafe (Netty,
# Vert.x); jdk.management the process metrics Micrometer reports; java.desktop is java.beans
# (Quarkus, commons-lang3).
readonly JAVA_MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs
readonly APP_USER=185

self="$(readlink -f "$0")"
recipe="$(dirname "$self")"

# mmdebstrap's extract hook ($2: the root file system being made): keeps what the image needs and
# records each package as distroless images do (/var/lib/dpkg/status.d/<package>, which image
# scanners read), and in PACKAGE_LIST as "package version architecture".
if [[ "${1:-}" == base-hook ]]; then
  root="$2"
  for deb in "$root"/var/cache/apt/archives/*.deb; do
    package="$(dpkg-deb --field "$deb" Package)"
    if [[ " $SCRIPT_ONLY_PACKAGES " == *" $package "* ]]; then
      dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed "s|^\.|$root|" | xargs -r rm -f
    else
      mkdir -p "$root/var/lib/dpkg/status.d"
      dpkg-deb --field "$deb" > "$root/var/lib/dpkg/status.d/$package"
      dpkg-deb --showformat='${Package} ${Version} ${Architecture}\n' --show "$deb" >> "$PACKAGE_LIST"
    fi
  done
  # Documentation other than the licenses, manuals, translations: nothing in the image reads them.
  find "$root/usr/share/doc" -type f ! -name copyright -delete
  rm -rf "$root"/usr/share/{man,info,locale,lintian,bash-completion,perl5,debconf,pixmaps,gdb,gcc}
  find "$root" -xdev -depth -type d -empty \( -path "$root/usr/*" -o -path "$root/etc/*" \) -delete
  sort -o "$PACKAGE_LIST" "$PACKAGE_LIST"
  cat > "$root/etc/passwd" <<EOF
root:x:0:0:root:/root:/nonexistent
presign:x:$APP_USER:0:presign-operator:/deployments:/nonexistent
EOF
  cat > "$root/etc/group" <<EOF
root:x:0:
EOF
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
  exit 0
fi

version="$1"
java_home="$2"
target="$(readlink -f "$3")"
sbom="$4"
work="$target/image"
root="$work/rootfs"
archive="$target/presign-operator-$version-oci.tar"
packages="$target/presign-operator-$version-debian-packages.txt"
image="localhost/presign-operator:$version"
started=$SECONDS

# As a user, the class-data step runs as root of a user namespace of its own.
as_root=()
if [[ "$(id -u)" != 0 ]]; then
  as_root=(--map-root-user)
fi
rm -rf "$work"
mkdir -p "$work/layers" "$work/oci/blobs/sha256"

# 1. The base.
. /etc/os-release
sources=()
for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
  if [[ -f "$file" ]] && grep -qv '^\s*\(#\|$\)' "$file"; then
    sources+=("$file")
  fi
done
echo "image: base from the Debian packages $BASE_PACKAGES ($VERSION_CODENAME; apt sources ${sources[*]})"
rm -f "$packages"
export PACKAGE_LIST="$packages"
mmdebstrap --quiet --variant=extract --include="$BASE_PACKAGES" \
  --extract-hook="\"$self\" base-hook \"\$1\"" \
  "$VERSION_CODENAME" - "${sources[@]}" |
  mmtarfilter --path-exclude='/dev/*' --path-exclude='/etc/apt/*' --path-exclude='/var/lib/apt/*' \
    --path-exclude='/var/cache/*' --path-exclude='/etc/dpkg/dpkg.cfg.d/*' \
    --path-exclude=/etc/hostname --path-exclude=/etc/resolv.conf \
    > "$work/layers/base.tar"
mkdir -p "$root"
tar -C "$root" -xf "$work/layers/base.tar"
echo "image: base done after $((SECONDS - started)) s"

# 2. The runtime.
"$java_home/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
  --generate-cds-archive --output "$root/opt/java" 2>&1 | grep -v '^\[.*\]\[warning\]\[cds\]' || true
test -x "$root/opt/java/bin/java"
# The archive for heaps of 32 GiB and more, which a heap of 40% of an operator's limit never is.
rm -f "$root/opt/java/lib/server/classes_nocoops.jsa"
echo "image: runtime done after $((SECONDS - started)) s"

# 3. The application, its SBOMs, and its class-data archive made by the image's JVM in the image's
# root (the archive records the paths, sizes and times of the jars it was made from).
app="$root/deployments"
mkdir -p "$app/sbom"
cp -a "$target/quarkus-app/quarkus-run.jar" "$target/quarkus-app/app" "$target/quarkus-app/lib" \
  "$target/quarkus-app/quarkus" "$app/"
cp "$sbom" "$app/sbom/presign-operator.cdx.json"
cp "$packages" "$app/sbom/debian-packages.txt"
chmod -R u=rwX,g=rX,o= "$app"
mapfile -t jvm_options < <(grep -v '^\s*\(#\|$\)' "$recipe/jvm.options")
dump_options=()
for option in "${jvm_options[@]}"; do
  [[ "$option" == -XX:SharedArchiveFile=* ]] || dump_options+=("$option")
done
# Quarkus starts the application far enough to load its classes and stops (no cluster needed).
unshare "${as_root[@]}" --mount --pid --fork --mount-proc="$root/proc" \
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  bash -c 'mount --rbind /dev "$1/dev" && exec chroot "$@"' chroot "$root" /opt/java/bin/java "${dump_options[@]}" \
  -XX:ArchiveClassesAtExit=/deployments/app-cds.jsa -Dquarkus.appcds.generate=true \
  -jar /deployments/quarkus-run.jar > "$work/app-cds.log" 2>&1 ||
  { cat "$work/app-cds.log"; echo "image: the class-data archive could not be made"; exit 1; }
test -s "$app/app-cds.jsa" ||
  { cat "$work/app-cds.log"; echo "image: the JVM wrote no class-data archive"; exit 1; }
chmod u=rw,g=r,o= "$app/app-cds.jsa"
echo "image: application and class-data archive done after $((SECONDS - started)) s"

# 4. Layers (sorted, numeric owners), the image configuration, the manifest, the OCI layout.
layer() { # name owner group paths...
  local name="$1" owner="$2" group="$3"
  shift 3
  tar -C "$root" --sort=name --numeric-owner --owner="$owner" --group="$group" \
    -cf "$work/layers/$name.tar" "$@"
}
layer runtime 0 0 opt/java
layer libraries "$APP_USER" 0 --no-recursion deployments --recursion deployments/lib
layer application "$APP_USER" 0 --exclude=deployments/lib deployments

blob() { # file media-type -> writes the blob, prints its descriptor
  local digest size
  digest="$(sha256sum "$1" | cut -d' ' -f1)"
  size="$(stat -c %s "$1")"
  mv "$1" "$work/oci/blobs/sha256/$digest"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%s}' "$2" "$digest" "$size"
}
layers=()
diff_ids=()
unpacked=0
compressing=()
for name in base runtime libraries application; do
  unpacked=$((unpacked + $(stat -c %s "$work/layers/$name.tar")))
  diff_ids+=("\"sha256:$(sha256sum "$work/layers/$name.tar" | cut -d' ' -f1)\"")
  gzip -n -6 "$work/layers/$name.tar" &
  compressing+=($!)
done
for job in "${compressing[@]}"; do
  wait "$job"
done
for name in base runtime libraries application; do
  layers+=("$(blob "$work/layers/$name.tar.gz" application/vnd.oci.image.layer.v1.tar+gzip)")
done
join() { local IFS=,; echo "$*"; }
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat > "$work/config.json" <<EOF
{"created":"$created","architecture":"amd64","os":"linux",
"config":{"User":"$APP_USER","WorkingDir":"/deployments","ExposedPorts":{"8080/tcp":{}},
"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","JDK_JAVA_OPTIONS=${jvm_options[*]}"],
"Entrypoint":["/opt/java/bin/java","-jar","/deployments/quarkus-run.jar"],
"Labels":{"org.opencontainers.image.title":"presign-operator","org.opencontainers.image.version":"$version"}},
"rootfs":{"type":"layers","diff_ids":[$(join "${diff_ids[@]}")]}}
EOF
config="$(blob "$work/config.json" application/vnd.oci.image.config.v1+json)"
cat > "$work/manifest.json" <<EOF
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":$config,
"layers":[$(join "${layers[@]}")],
"annotations":{"org.opencontainers.image.title":"presign-operator","org.opencontainers.image.version":"$version"}}
EOF
manifest="$(blob "$work/manifest.json" application/vnd.oci.image.manifest.v1+json)"
# The names podman (org.opencontainers.image.ref.name) and Docker (io.containerd.image.name) load
# the archive under.
printf '{"schemaVersion":2,"manifests":[%s]}\n' \
  "${manifest%\}},\"annotations\":{\"org.opencontainers.image.ref.name\":\"$version\",\"io.containerd.image.name\":\"$image\"}}" \
  > "$work/oci/index.json"
printf '{"imageLayoutVersion":"1.0.0"}\n' > "$work/oci/oci-layout"
tar -C "$work/oci" --sort=name --numeric-owner --owner=0 --group=0 -cf "$archive" oci-layout index.json blobs
sha256sum "$archive" | cut -d' ' -f1 > "$archive.sha256"
cp "$sbom" "$target/presign-operator-$version-sbom.cdx.json"
echo "image: $archive, $(($(stat -c %s "$archive") / 1048576)) MiB ($((unpacked / 1048576)) MiB unpacked), after $((SECONDS - started)) s"

# 5. Into the local podman, when there is one. Its configuration for this image: the runc runtime
# (crun fails where cgroups run in hybrid mode), default ulimits no higher than this machine's hard
# limits, and the host's network namespace unless told otherwise, so that no bridge network is
# ever made. The tests run the image with it (PackagedImageIT).
ulimits=()
nofile="$(ulimit -Hn)"
nproc="$(ulimit -Hu)"
pid_max="$(cat /proc/sys/kernel/pid_max)"
if [[ "$nproc" == unlimited ]] || ((nproc > pid_max)); then
  nproc="$pid_max"
fi
[[ "$nofile" == unlimited ]] || ulimits+=("\"nofile=$nofile:$nofile\"")
ulimits+=("\"nproc=$nproc:$nproc\"")
{
  printf '[containers]\nnetns = "host"\ndefault_ulimits = [%s]\n' "$(join "${ulimits[@]}")"
  if command -v runc > /dev/null; then
    printf '[engine]\nruntime = "runc"\n'
  fi
} > "$work/containers.conf"
if command -v podman > /dev/null; then
  export CONTAINERS_CONF="$work/containers.conf"
  previous="$(podman image inspect --format '{{.Id}}' "$image" 2> /dev/null || true)"
  podman load --quiet --input "$archive"
  # The image's id is its configuration's digest.
  image_id="$(sed 's/.*"digest":"sha256:\([0-9a-f]*\)".*/\1/' <<< "$config")"
  podman tag "$image_id" "$image"
  if [[ -n "$previous" && "$previous" != "$image_id" ]]; then
    # The previous build's image, now without a name; kept while a container still uses it.
    podman rmi "$previous" > /dev/null 2>&1 || true
  fi
  echo "image: loaded into podman as $image ($image_id)"
fi
