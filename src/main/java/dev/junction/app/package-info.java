/**
 * The executable: the command line ({@code serve}, {@code check}, {@code demo}, {@code export},
 * {@code import}, {@code --help}), the wiring that builds the store, the session service, the agent
 * loop, routing and the HTTP verticles from a configuration, the export file format, and the demo,
 * which runs that same gateway against providers simulated on loopback and prints what routing did
 * through one provider's off day.
 */
package dev.junction.app;
