package io.recsys.monitor.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The rule of a composite alarm in the syntax of CloudWatch's {@code AlarmRule}: {@code
 * ALARM("name")}, {@code OK("name")}, {@code INSUFFICIENT_DATA("name")}, {@code TRUE}, {@code
 * FALSE}, combined with {@code AND}, {@code OR}, {@code NOT} and parentheses ({@code NOT} binds
 * tightest, then {@code AND}, then {@code OR}). The same text goes unchanged into an exported
 * {@code AWS::CloudWatch::CompositeAlarm}, so the engine and CloudWatch read one rule.
 *
 * <p>Parsed once; evaluated against a function that says whether an alarm is in a state.
 */
public final class AlarmRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String text;
    private final Node root;
    private final LinkedHashSet<String> alarms = new LinkedHashSet<>();

    private AlarmRule(String text) {
        this.text = text;
        Parser parser = new Parser(text, alarms);
        this.root = parser.parse();
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException saying where the text stops making sense
     */
    public static AlarmRule parse(String text) {
        return new AlarmRule(text == null ? "" : text.trim());
    }

    /** The rule as written. */
    public String text() {
        return text;
    }

    /** The alarms the rule names, in order of appearance. */
    public Set<String> alarms() {
        return Collections.unmodifiableSet(alarms);
    }

    /**
     * Whether the rule holds, given {@code inState.test(alarm, state)} for state ALARM, OK or
     * INSUFFICIENT_DATA.
     */
    public boolean holds(BiPredicate<String, String> inState) {
        return root.holds(inState);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node extends Serializable {
        boolean holds(BiPredicate<String, String> inState);
    }

    private static final class Parser {
        private final String s;
        private final Set<String> names;
        private int pos;

        Parser(String s, Set<String> names) {
            this.s = s;
            this.names = names;
        }

        Node parse() {
            Node n = or();
            skip();
            if (pos != s.length()) {
                throw error("unexpected text");
            }
            return n;
        }

        private Node or() {
            List<Node> parts = new ArrayList<>();
            parts.add(and());
            while (keyword("OR")) {
                parts.add(and());
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            return (Node) inState -> parts.stream().anyMatch(p -> p.holds(inState));
        }

        private Node and() {
            List<Node> parts = new ArrayList<>();
            parts.add(not());
            while (keyword("AND")) {
                parts.add(not());
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            return (Node) inState -> parts.stream().allMatch(p -> p.holds(inState));
        }

        private Node not() {
            if (keyword("NOT")) {
                Node inner = not();
                return (Node) inState -> !inner.holds(inState);
            }
            return atom();
        }

        private Node atom() {
            skip();
            if (pos < s.length() && s.charAt(pos) == '(') {
                pos++;
                Node inner = or();
                expect(')');
                return inner;
            }
            if (keyword("TRUE")) {
                return (Node) inState -> true;
            }
            if (keyword("FALSE")) {
                return (Node) inState -> false;
            }
            for (String state : new String[] {"INSUFFICIENT_DATA", "ALARM", "OK"}) {
                if (keyword(state)) {
                    expect('(');
                    String name = name();
                    expect(')');
                    names.add(name);
                    return (Node) inState -> inState.test(name, state);
                }
            }
            throw error(
                    "expected ALARM(name), OK(name), INSUFFICIENT_DATA(name), TRUE, FALSE,"
                            + " NOT or '('");
        }

        private String name() {
            skip();
            int start;
            String name;
            if (pos < s.length() && s.charAt(pos) == '"') {
                start = ++pos;
                while (pos < s.length() && s.charAt(pos) != '"') {
                    pos++;
                }
                if (pos >= s.length()) {
                    throw error("unterminated alarm name");
                }
                name = s.substring(start, pos++);
            } else {
                start = pos;
                while (pos < s.length()
                        && s.charAt(pos) != ')'
                        && !Character.isWhitespace(s.charAt(pos))) {
                    pos++;
                }
                name = s.substring(start, pos);
            }
            if (name.isEmpty()) {
                throw error("expected an alarm name");
            }
            return name;
        }

        private boolean keyword(String word) {
            skip();
            if (s.regionMatches(false, pos, word, 0, word.length())) {
                int end = pos + word.length();
                boolean boundary =
                        end == s.length()
                                || !(Character.isLetterOrDigit(s.charAt(end))
                                        || s.charAt(end) == '_');
                if (boundary) {
                    pos = end;
                    return true;
                }
            }
            return false;
        }

        private void expect(char c) {
            skip();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException(
                    what + " at position " + pos + " of alarm rule '" + s + "'");
        }
    }
}
