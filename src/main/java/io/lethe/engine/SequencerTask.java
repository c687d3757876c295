package io.lethe.engine;

import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SequencerTask {

    /**
     * The one db-scheduler task: an execution per tick of an operation, or of a wave of them. An
     * execution that throws (the database went away mid-step) is tried again with backoff; the tick
     * guard makes that safe.
     */
    @Bean
    Task<String> letheStepTask(Sequencer sequencer) {
        return Tasks.oneTime(OperationScheduler.TASK, String.class)
                .onFailure(
                        new FailureHandler.ExponentialBackoffFailureHandler<>(
                                Duration.ofSeconds(1), 2.0))
                .execute(
                        (instance, context) ->
                                sequencer.tick(
                                        OperationScheduler.members(
                                                instance.getId(), instance.getData()),
                                        context.getSchedulerState()::isShuttingDown));
    }
}
