# Sourced by sweep.sh and pm_sweep.sh: `names` prints the presets to work
# on, one name a line (without `.milk`): the lines of the file NAMES, or
# else every preset of PRESETS_DIR whose name holds ONLY, sorted.
names() {
    if [[ -n ${NAMES:-} ]]; then
        grep -v '^$' "$NAMES"
        return
    fi
    find "$PRESETS_DIR" -maxdepth 1 -name '*.milk' -printf '%f\n' | sed 's/\.milk$//' | LC_ALL=C sort |
        grep -F -- "${ONLY:-}"
}
