// Shell variables: those inherited from the environment (exported) and
// those assigned in the shell, plus the special parameters ($?, $$, $!,
// $#, $0, $1...).
import { getpid } from "../lib";

export class Variables {
  private values: Map<string, string> = new Map();
  private exported: Set<string> = new Set();
  /** $0 */
  scriptName: string = "sh";
  /** $1, $2, ... */
  positional: string[] = [];
  /** $? */
  lastStatus: i32 = 0;
  /** $!: the pid of the last background job, 0 if none. */
  lastBackgroundPid: i32 = 0;

  /** Starts with the environment's "NAME=value" entries, all exported. */
  constructor(environment: string[]) {
    for (let i = 0; i < environment.length; i++) {
      let entry = environment[i];
      let eq = entry.indexOf("=");
      if (eq <= 0) continue;
      let name = entry.substring(0, eq);
      this.values.set(name, entry.substring(eq + 1));
      this.exported.add(name);
    }
  }

  /** The value of a variable or special parameter; null if unset. */
  get(name: string): string | null {
    let special = this.special(name);
    if (special !== null) return special;
    return this.values.has(name) ? this.values.get(name) : null;
  }

  /** The value, or "" if unset. */
  valueOf(name: string): string {
    let value = this.get(name);
    return value !== null ? value : "";
  }

  set(name: string, value: string): void { this.values.set(name, value); }

  unset(name: string): void {
    this.values.delete(name);
    this.exported.delete(name);
  }

  /** Marks `name` for the environment of the commands we start. */
  export(name: string): void { this.exported.add(name); }

  /** "NAME=value" for every exported variable that is set, plus `extra` (which wins). */
  environment(extra: string[] = []): string[] {
    let result = new Array<string>();
    let names = this.exported.values();
    for (let i = 0; i < names.length; i++) {
      let name = names[i];
      if (this.values.has(name) && !hasEntryFor(extra, name)) result.push(name + "=" + this.values.get(name));
    }
    return result.concat(extra);
  }

  private special(name: string): string | null {
    if (name == "?") return this.lastStatus.toString();
    if (name == "$") return getpid().toString();
    if (name == "!") return this.lastBackgroundPid > 0 ? this.lastBackgroundPid.toString() : "";
    if (name == "#") return this.positional.length.toString();
    if (name == "@" || name == "*") return this.positional.join(" ");
    if (name == "-") return "";
    if (name == "0") return this.scriptName;
    let code = name.charCodeAt(0);
    if (code >= 0x31 && code <= 0x39) {
      let index = I32.parseInt(name, 10) - 1;
      return index < this.positional.length ? this.positional[index] : "";
    }
    return null;
  }
}

function hasEntryFor(entries: string[], name: string): bool {
  let prefix = name + "=";
  for (let i = 0; i < entries.length; i++) {
    if (entries[i].startsWith(prefix)) return true;
  }
  return false;
}
