#!/bin/sh
# kubectl-presign: the kubectl plugin of presign-operator (kubectl presign --help).
# This file is a shell script followed by a Java archive. It needs Java 17 or later:
# $JAVA_HOME/bin/java, else java on the PATH.
#
# Start-up: the first run records the classes a command loads in a class-data archive
# (AppCDS) under ${XDG_CACHE_HOME:-~/.cache}/kubectl-presign, by a short run that contacts
# nothing; later runs map it instead of loading and verifying the classes again.
# KUBECTL_PRESIGN_CDS=0 turns that off; KUBECTL_PRESIGN_JAVA_OPTS adds JVM options.
self=$0
case $self in
  */*) ;;
  *) self=$(command -v "$self") ;;
esac
if [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
else
  java=$(command -v java) || {
    echo "kubectl-presign: needs Java 17 or later: set JAVA_HOME or put java on the PATH" >&2
    exit 1
  }
fi
main=dev.presign.cli.PresignCommand
opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -Xlog:cds=off -Xlog:cds+dynamic=off $KUBECTL_PRESIGN_JAVA_OPTS"
if [ "${KUBECTL_PRESIGN_CDS:-1}" = 1 ]; then
  cache=${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-presign
  # The archive belongs to this very file and this very JVM.
  file=$(stat -c '%s-%Y' "$self" 2>/dev/null || stat -f '%z-%m' "$self" 2>/dev/null)
  jvm=$(printf '%s' "$java" | cksum | cut -d ' ' -f 1)
  jsa=$cache/$file-$jvm.jsa
  if [ ! -f "$jsa" ] && mkdir -p "$cache" 2>/dev/null; then
    "$java" $opts -XX:ArchiveClassesAtExit="$jsa.$$" -cp "$self" dev.presign.cli.Training \
      >/dev/null 2>&1 && mv -f "$jsa.$$" "$jsa" 2>/dev/null
    rm -f "$jsa.$$"
  fi
  if [ -f "$jsa" ]; then
    exec "$java" $opts -XX:SharedArchiveFile="$jsa" -cp "$self" $main "$@"
  fi
fi
exec "$java" $opts -cp "$self" $main "$@"
