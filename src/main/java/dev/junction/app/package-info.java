/**
 * The executable: the command line ({@code serve}, {@code check}, {@code --help}) and the wiring that
 * builds the store, the session service and the HTTP verticles from a configuration.
 */
package dev.junction.app;
