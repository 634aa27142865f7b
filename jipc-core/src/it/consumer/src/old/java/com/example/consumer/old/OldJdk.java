package com.example.consumer.old;

import io.jipc.sysv.MessageQueue;

/**
 * Compiled for Java 17 and run by the JDK that runs Maven: on a JDK older than 25, the first use of
 * jipc must fail with the same one sentence as the ./jipc launcher (the jar's Java 17 base layer),
 * not with the JVM's error about class-file version 69. On a JDK 25 or newer there is nothing to
 * check.
 */
public final class OldJdk {
    private OldJdk() {
    }

    /**
     * Entry point.
     *
     * @param args none
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        if (Runtime.version().feature() >= 25) {
            System.out.println("consumer ok (old-jdk): skipped, Maven runs on Java " + Runtime.version());
            return;
        }
        try {
            MessageQueue.createPrivate(0600).remove();
            System.err.println("consumer FAILED: jipc ran on Java " + Runtime.version());
            System.exit(1);
        } catch (UnsupportedClassVersionError e) {
            String m = String.valueOf(e.getMessage());
            if (!m.startsWith("jipc: needs a JDK 25 or newer, and this is Java " + System.getProperty("java.version"))
                    || !m.endsWith("; install one, e.g. Temurin 25, and use its java (or set JAVA_HOME to it).")) {
                System.err.println("consumer FAILED: unexpected message: " + m);
                System.exit(1);
            }
            System.out.println("consumer ok (old-jdk): " + m);
        }
    }
}
