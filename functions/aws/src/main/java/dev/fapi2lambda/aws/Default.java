package dev.fapi2lambda.aws;

/**
 * The container's components, built from the environment the first time a function is created by
 * Lambda's no-argument constructor (during init, so SnapStart snapshots it). Tests and the local
 * server never touch this class.
 */
final class Default {
    static final Components COMPONENTS = Components.fromEnvironment();

    private Default() {
    }
}
