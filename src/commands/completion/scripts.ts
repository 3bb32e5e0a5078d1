// What `completion bash|zsh|fish` prints and what `completion install` writes. The shell
// scripts complete `kubectl-dhakacart ...` typed directly; `kubectl dhakacart ...` is
// completed by kubectl's own completion, which runs the kubectl_complete-dhakacart helper.
// Every caller passes `--` before the words, so that flags among them (`-o`, `--help`)
// reach the completer as words instead of being parsed as the hidden command's options.

export const HELPER = 'kubectl_complete-dhakacart';

export function helperFileName(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${HELPER}.cmd` : HELPER;
}

export function helperScript(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    return '@echo off\r\nrem kubectl (>= 1.26) runs this to complete `kubectl dhakacart ...`; written by `kubectl dhakacart completion install`.\r\n' +
      'kubectl-dhakacart.exe __complete -- %*\r\n';
  }
  return '#!/bin/sh\n# kubectl (>= 1.26) runs this to complete `kubectl dhakacart ...`; written by `kubectl dhakacart completion install`.\n' +
    'exec kubectl-dhakacart __complete -- "$@"\n';
}

const BASH = `# bash completion for kubectl-dhakacart.   source <(kubectl-dhakacart completion bash)
# For \`kubectl dhakacart <TAB>\` use kubectl's completion (source <(kubectl completion bash))
# and run \`kubectl dhakacart completion install\` once.
_kubectl_dhakacart() {
  local cur=\${COMP_WORDS[COMP_CWORD]} out directive line
  local -a cands=()
  out=$(kubectl-dhakacart __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" "$cur" 2>/dev/null) || return 0
  directive=0
  while IFS= read -r line; do
    case $line in
      :*) directive=\${line#:} ;;
      *) [[ $line == "$cur"* ]] && cands+=("$line") ;;
    esac
  done <<< "$out"
  COMPREPLY=("\${cands[@]}")
  if (( \${#cands[@]} == 0 && (directive & 4) == 0 )); then
    compopt -o default 2>/dev/null
  fi
}
complete -F _kubectl_dhakacart kubectl-dhakacart
`;

const ZSH = `#compdef kubectl-dhakacart
# zsh completion for kubectl-dhakacart.   source <(kubectl-dhakacart completion zsh)
# For \`kubectl dhakacart <TAB>\` use kubectl's completion (source <(kubectl completion zsh))
# and run \`kubectl dhakacart completion install\` once.
_kubectl_dhakacart() {
  local -a lines cands
  local directive=0
  lines=("\${(@f)$(kubectl-dhakacart __complete -- "\${(@)words[2,CURRENT-1]}" "\${words[CURRENT]}" 2>/dev/null)}")
  if [[ \${lines[-1]} == :* ]]; then directive=\${lines[-1]#:}; lines=("\${(@)lines[1,-2]}"); fi
  cands=("\${(@)lines:#}")
  if (( \${#cands} )); then
    compadd -- "\${cands[@]}"
  elif (( (directive & 4) == 0 )); then
    _files
  fi
}
if [[ $funcstack[1] == _kubectl_dhakacart ]]; then _kubectl_dhakacart "$@"; else compdef _kubectl_dhakacart kubectl-dhakacart; fi
`;

const FISH = `# fish completion for kubectl-dhakacart.   kubectl-dhakacart completion fish | source
# For \`kubectl dhakacart <TAB>\` run \`kubectl dhakacart completion install\` once
# (kubectl's fish completion then asks the plugin).
function __kubectl_dhakacart_complete
    set -l args (commandline -opc)
    set -e args[1]
    kubectl-dhakacart __complete -- $args (commandline -ct) 2>/dev/null | string match -v -r '^:'
end
complete -c kubectl-dhakacart -f -a '(__kubectl_dhakacart_complete)'
`;

export function shellScript(shell: 'bash' | 'zsh' | 'fish'): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
