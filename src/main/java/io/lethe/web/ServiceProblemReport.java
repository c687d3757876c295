package io.lethe.web;

import io.lethe.common.ContainerProblemReport;

/** The service's container refusals as problems of its own type ({@code urn:lethe:problem:}). */
public class ServiceProblemReport extends ContainerProblemReport {

    public ServiceProblemReport() {
        super(ApiExceptionHandler.TYPE_PREFIX);
    }
}
