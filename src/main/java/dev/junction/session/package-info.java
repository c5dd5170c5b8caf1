/**
 * Sessions as an event log: the service that appends events (durably, with the session row in the
 * same transaction) and enforces the status rules, and the hub that fans committed events out to
 * every live subscriber in order, serialising each event once however many subscribers read it.
 */
package dev.junction.session;
