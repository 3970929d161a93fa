#!/usr/bin/env bash
# Resolves one Maven Central artifact and its dependencies into ~/.m2 and writes their
# classpath to DIR/classpath.txt, through a one-dependency pom in DIR. Prints the file's path.
# Usage: maven-classpath.sh GROUP ARTIFACT VERSION DIR
set -euo pipefail
group="$1" artifact="$2" version="$3" dir="$4"
mkdir -p "$dir"
cp_file="$dir/classpath.txt"

cat >"$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>vigil.ci</groupId>
  <artifactId>${artifact}-ci</artifactId>
  <version>1</version>
  <dependencies>
    <dependency>
      <groupId>${group}</groupId>
      <artifactId>${artifact}</artifactId>
      <version>${version}</version>
    </dependency>
  </dependencies>
</project>
POM
(cd "$dir" && mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$cp_file" >"$dir/mvn.log" 2>&1) || {
  echo "maven could not resolve ${group}:${artifact}:${version}; see $dir/mvn.log" >&2
  exit 1
}
echo "$cp_file"
