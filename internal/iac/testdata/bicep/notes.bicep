param container string
param condition string
param strict bool

resource interpolated 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'interpolated'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000011'
    condition: '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'${container}\''
  }
}

resource fromParam 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'fromParam'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000012'
    condition: condition
  }
}

resource ternary 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'ternary'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000013'
    condition: strict ? '@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals \'a\'' : null
  }
}

resource multiInterp 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'multiInterp'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000014'
    condition: $'''
@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals '${container}'
'''
  }
}

var props = {
  roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  principalId: '00000000-0000-0000-0000-000000000015'
}

resource fromVar 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'fromVar'
  properties: props
}

resource nullCondition 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: 'nullCondition'
  properties: {
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
    principalId: '00000000-0000-0000-0000-000000000016'
    condition: null
  }
}
