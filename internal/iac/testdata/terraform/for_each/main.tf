locals {
  containers = toset(["invoices", "receipts"])
}

resource "azurerm_role_assignment" "per_container" {
  for_each             = local.containers
  scope                = "${azurerm_storage_account.main.id}/blobServices/default/containers/${each.key}"
  role_definition_name = "Storage Blob Data Reader"
  principal_id         = var.principal_id
  condition_version    = "2.0"
  condition            = "Exists @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:versionId]"
}

resource "azurerm_role_assignment" "counted" {
  count                = 3
  scope                = var.scopes[count.index]
  role_definition_name = "Storage Queue Data Reader"
  principal_id         = var.principal_id
  condition = (
    "@Resource[Microsoft.Storage/storageAccounts/queueServices/queues:name] StringStartsWith 'jobs-'"
  )
}
