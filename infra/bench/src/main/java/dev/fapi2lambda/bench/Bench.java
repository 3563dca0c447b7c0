package dev.fapi2lambda.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The benchmarks of fapi2-lambda, one command each (README.md has the commands and the results).
 * None runs as a test: they are started by hand and print a table and write a JSON result.
 */
@Command(name = "fapi2-bench", mixinStandardHelpOptions = true,
        subcommands = {ColdStart.class, TokenThroughput.class, EndToEnd.class, AwsCalls.class},
        description = "Benchmarks: coldstart, token (JMH), e2e, aws-calls.")
public final class Bench implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Bench()).execute(args);
        System.exit(code);
    }
}
