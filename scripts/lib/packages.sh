# Installs Debian packages that are missing, saying which and why. Sourced by scripts/run and
# scripts/test. Uses sudo when not root; prints the command to run when neither works.
ensure_packages() {
  local reason="$1"; shift
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "ansinh: installing ${missing[*]} ($reason)" >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "ansinh: please run as root: apt-get install -y ${missing[*]}" >&2
      return 1
    fi
  fi
  if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/tmp/ansinh-apt.log 2>&1; then
    # A fresh machine may have no package lists yet.
    $sudo apt-get update -qq >>/tmp/ansinh-apt.log 2>&1 || true
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>/tmp/ansinh-apt.log 2>&1 || {
      echo "ansinh: apt-get install ${missing[*]} failed; see /tmp/ansinh-apt.log" >&2
      return 1
    }
  fi
}
