/**
 * Tools of the deployment scripts ({@code deploy/local/}): {@link io.dvsflow.jobs.deploy.TopicDiff}
 * compares two frame topics read_committed, {@link io.dvsflow.jobs.deploy.KafkaTopics} creates
 * topics and reports consumer-group lag and committed record counts. Run with {@code java -cp}.
 */
package io.dvsflow.jobs.deploy;
