#!/usr/bin/env bash
# Checks of an installed credvault, run by ctest. tests/install/CMakeLists.txt
# sets the environment: CMAKE, BUILD_DIR, SOURCE_DIR, CONFIG, WORK_DIR,
# PREFIX, BINDIR, LIBDIR, INCLUDEDIR, CMAKEDIR, VERSION, GENERATOR, HOST_CXX,
# NM, READELF and PKG_CONFIG.
#
#   check_install.sh install       installs the build into PREFIX
#   check_install.sh layout        the installed files; the tool runs
#   check_install.sh exports       what libcredvault.so exports, its soname
#   check_install.sh host VARIANT  builds examples/host against PREFIX with
#                                  the shared or static library, runs it
#   check_install.sh pkg-config    builds a program with pkg-config's flags
set -euo pipefail

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# Runs a command quietly, showing its output only when it fails.
quietly() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "$*"
  fi
  rm -f "$log"
}

# libcredvault.so.MAJOR.MINOR while the major version is 0, then .MAJOR.
soname() {
  local major minor
  IFS=. read -r major minor _ <<<"$VERSION"
  if ((major == 0)); then
    echo "libcredvault.so.$major.$minor"
  else
    echo "libcredvault.so.$major"
  fi
}

do_install() {
  local config=()
  [[ -n $CONFIG ]] && config=(--config "$CONFIG")

  rm -rf "$PREFIX"
  quietly "$CMAKE" --install "$BUILD_DIR" --prefix "$PREFIX" "${config[@]}"
}

check_layout() {
  local f
  for f in \
    "$INCLUDEDIR/credvault/vault.hpp" \
    "$INCLUDEDIR/credvault/api.hpp" \
    "$INCLUDEDIR/credvault/export.hpp" \
    "$INCLUDEDIR/credvault/version.hpp" \
    "$LIBDIR/libcredvault.a" \
    "$LIBDIR/libcredvault.so" \
    "$LIBDIR/$(soname)" \
    "$LIBDIR/libcredvault.so.$VERSION" \
    "$LIBDIR/pkgconfig/credvault.pc" \
    "$CMAKEDIR/credvaultConfig.cmake" \
    "$CMAKEDIR/credvaultConfigVersion.cmake" \
    "$CMAKEDIR/credvault-shared-targets.cmake" \
    "$CMAKEDIR/credvault-static-targets.cmake" \
    "$BINDIR/credvault"; do
    [[ -e $PREFIX/$f ]] || fail "$f is not installed"
  done
  [[ ! -e $PREFIX/$INCLUDEDIR/credvault/version.hpp.in ]] ||
    fail "the template of version.hpp is installed"

  grep -q "^#define CREDVAULT_VERSION_STRING \"$VERSION\"$" \
    "$PREFIX/$INCLUDEDIR/credvault/version.hpp" ||
    fail "version.hpp does not give version $VERSION"

  # The tool finds the shared library through its run path, with no help
  # from the environment.
  local out
  out=$(env -u LD_LIBRARY_PATH "$PREFIX/$BINDIR/credvault" --version) ||
    fail "the installed tool does not run"
  [[ $out == "credvault $VERSION" ]] ||
    fail "the installed tool reports '$out', not version $VERSION"
}

check_exports() {
  local lib=$PREFIX/$LIBDIR/libcredvault.so
  local symbols
  symbols=$("$NM" -D --defined-only --demangle "$lib" | cut -d' ' -f3-)
  [[ -n $symbols ]] || fail "libcredvault.so exports nothing"

  # Every exported symbol is credvault's...
  local foreign
  foreign=$(grep -Ev '^((typeinfo( name)?|vtable) for )?credvault::' \
    <<<"$symbols" || true)
  [[ -z $foreign ]] || fail "exported, but not credvault's:"$'\n'"$foreign"

  # ...and in its public API, not its layers. Of the api namespace only the
  # dispatcher, its request and response, and status_of are public.
  local internal
  internal=$(grep -E \
    -e '^credvault::(crypto|store|records|vault_detail|codec|model|tool)::' \
    -e '^credvault::vault::impl::' \
    -e '^credvault::api::' <<<"$symbols" |
    grep -Ev '^credvault::api::(dispatcher::|response::|status_of\()' || true)
  [[ -z $internal ]] || fail "internal symbols exported:"$'\n'"$internal"

  local wanted
  for wanted in \
    'credvault::version()' \
    'credvault::vault::open(' \
    'credvault::vault::resolve_default(' \
    'credvault::decode_create(std::basic_string_view' \
    'credvault::api::dispatcher::handle(' \
    'credvault::api::status_of(' \
    'credvault::api::response::body_text'; do
    grep -qF "$wanted" <<<"$symbols" || fail "$wanted is not exported"
  done

  "$READELF" -d "$lib" | grep -qF "Library soname: [$(soname)]" ||
    fail "the soname of libcredvault.so is not $(soname)"
}

# Builds examples/host against the prefix, as a user would, and runs it
# twice on one vault directory: the first run stores and resolves, the
# second reopens the vault with its key file and finds the name taken.
check_host() {
  local variant=$1 use_static
  case $variant in
    shared) use_static=OFF ;;
    static) use_static=ON ;;
    *) fail "no such variant: $variant" ;;
  esac
  local dir=$WORK_DIR/host-$variant vault=$WORK_DIR/vault-$variant
  rm -rf "$dir" "$vault" "$vault.key"

  quietly "$CMAKE" -S "$SOURCE_DIR/examples/host" -B "$dir" \
    -G "$GENERATOR" -DCMAKE_CXX_COMPILER="$HOST_CXX" \
    -DCMAKE_PREFIX_PATH="$PREFIX" -Dcredvault_USE_STATIC="$use_static" \
    -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror"
  quietly "$CMAKE" --build "$dir"

  local needs_shared=no
  "$READELF" -d "$dir/credvault_host" | grep -qF "[$(soname)]" &&
    needs_shared=yes
  [[ $variant == shared && $needs_shared == yes ||
    $variant == static && $needs_shared == no ]] ||
    fail "the $variant host links libcredvault.so: $needs_shared"

  local out
  out=$("$dir/credvault_host" "$vault" 2>&1) ||
    fail "credvault_host failed:"$'\n'"$out"
  check_host_output "$out"

  local again status=0
  again=$("$dir/credvault_host" "$vault" 2>&1) || status=$?
  [[ $status == 1 && $again == *"create: conflict: "* ]] ||
    fail "a second run did not find the name taken:"$'\n'"$again"
}

check_host_output() {
  local out=$1
  [[ $out != *"correct horse battery staple"* ]] ||
    fail "the host printed the secret"

  [[ $(head -n 1 <<<"$out") == "credvault $VERSION, headers $VERSION" ]] ||
    fail "the host reports another version:"$'\n'"$out"

  local id
  id=$(sed -n 's/^stored \([0-9a-f]\{24\}\)$/\1/p' <<<"$out")
  [[ -n $id ]] || fail "the host stored no credential:"$'\n'"$out"

  local resolved
  resolved=$(grep '^default for dataconnection:5f1e0a2b3c4d5e6f7a8b9c0d: ' \
    <<<"$out") || fail "the host resolved no default:"$'\n'"$out"
  local field
  for field in "\"credentialId\":\"$id\"" '"name":"warehouse"' \
    '"description":"the reporting warehouse"' '"credentialType":"basic"'; do
    [[ $resolved == *"$field"* ]] ||
      fail "the resolved default lacks $field:"$'\n'"$resolved"
  done
}

# Compiles and links a program with nothing but pkg-config's flags, then
# runs it against the installed shared library.
check_pkg_config() {
  export PKG_CONFIG_PATH=$PREFIX/$LIBDIR/pkgconfig

  local modversion
  modversion=$("$PKG_CONFIG" --modversion credvault) ||
    fail "pkg-config does not find credvault"
  [[ $modversion == "$VERSION" ]] ||
    fail "credvault.pc gives version $modversion, not $VERSION"

  local flags
  flags=$("$PKG_CONFIG" --cflags --libs credvault)

  # pkg-config finds the prefix from the file's own place, whatever prefix
  # the build was configured with.
  local word includes=()
  for word in $flags; do
    [[ $word == -I* ]] && includes+=("$(realpath -m "${word#-I}")")
  done
  [[ " ${includes[*]} " == *" $(realpath "$PREFIX/$INCLUDEDIR") "* ]] ||
    fail "credvault.pc does not give the prefix's headers: $flags"

  local probe=$WORK_DIR/pkg_config_probe
  # $flags is split into words on purpose.
  quietly "$HOST_CXX" -std=c++20 -Wall -Wextra -Werror \
    "$SOURCE_DIR/tests/install/pkg_config_probe.cpp" -o "$probe" $flags

  local out
  out=$(LD_LIBRARY_PATH=$PREFIX/$LIBDIR "$probe") ||
    fail "the pkg-config program failed: $out"
  [[ $out == "credvault $VERSION: basic" ]] ||
    fail "the pkg-config program printed '$out'"
}

case ${1:-} in
  install) do_install ;;
  layout) check_layout ;;
  exports) check_exports ;;
  host) check_host "${2:-}" ;;
  pkg-config) check_pkg_config ;;
  *) fail "usage: check_install.sh install|layout|exports|host VARIANT|pkg-config" ;;
esac
