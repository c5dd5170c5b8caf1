/**
 * The {@link dev.junction.tools.Sandbox} built on bubblewrap: the argument list that defines the
 * jail, the probe that tells whether jails work on this machine, the persistent bash per session,
 * one-shot jailed commands, bounded output capture, and killing a jail's whole process tree.
 */
package dev.junction.tools.bwrap;
