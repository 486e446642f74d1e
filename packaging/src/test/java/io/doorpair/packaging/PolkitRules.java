package io.doorpair.packaging;

import io.doorpair.sipedge.testing.Peers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates a polkit {@code .rules} file the way polkitd does: its JavaScript calls {@code
 * polkit.addRule(function (action, subject) ...)}, and each rule is asked in turn until one
 * answers. Run with Node.js ({@code nodejs}), whose JavaScript runs polkit's ES5 rules unchanged.
 */
final class PolkitRules {
  private static final String HARNESS =
      String.join(
          "\n",
          "'use strict';",
          "const fs = require('fs');",
          "const rules = [];",
          "const polkit = {",
          "  Result: { NO: 'no', YES: 'yes', AUTH_SELF: 'auth_self', AUTH_SELF_KEEP: 'auth_self_keep',",
          "            AUTH_ADMIN: 'auth_admin', AUTH_ADMIN_KEEP: 'auth_admin_keep', NOT_HANDLED: null },",
          "  addRule: function (rule) { rules.push(rule); },",
          "  addAdminRule: function () {},",
          "  log: function () {},",
          "};",
          "new Function('polkit', fs.readFileSync(process.argv[2], 'utf8'))(polkit);",
          "for (const query of process.argv.slice(3)) {",
          "  const [user, actionId, unit, verb] = query.split(' ');",
          "  const details = { unit: unit, verb: verb };",
          "  const action = { id: actionId, lookup: function (k) { return details[k]; } };",
          "  const subject = { user: user, groups: [], local: false, active: false };",
          "  let answer = null;",
          "  for (const rule of rules) {",
          "    answer = rule(action, subject);",
          "    if (answer !== null && answer !== undefined) { break; }",
          "  }",
          "  console.log(query + ' -> ' + (answer === null || answer === undefined ? 'not_handled' : answer));",
          "}");

  private PolkitRules() {}

  /**
   * The answer of {@code rules} to each query {@code "USER ACTION-ID UNIT VERB"}, as {@code "QUERY
   * -> yes|no|auth_admin|...|not_handled"} lines.
   */
  static List<String> answers(Path rules, Path workDir, List<String> queries) {
    Path node = Peers.require("node", "nodejs");
    try {
      Path harness = workDir.resolve("polkit-harness.js");
      Files.writeString(harness, HARNESS);
      List<String> command = new ArrayList<>(List.of(node.toString(), harness.toString()));
      command.add(rules.toString());
      command.addAll(queries);
      return Processes.run(command).expectSuccess().lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the polkit harness", e);
    }
  }
}
